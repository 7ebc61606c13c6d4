import type { FastifyInstance } from 'fastify';
import { ACCEPTS_ARCHIVE, ARCHIVE_MEDIA_TYPE } from '../../common/decorators/accepts-archive.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

/**
 * `application/gzip` bodies: passed through as the raw request stream to routes marked
 * `@AcceptsArchive()` (tenant import), which read it with their own size bounds (Fastify's
 * bodyLimit applies only to buffered bodies); refused with 415 everywhere else, unread.
 */
export function registerArchiveBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(ARCHIVE_MEDIA_TYPE, (request, payload, done) => {
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (config?.[ACCEPTS_ARCHIVE] === true) return done(null, payload);
    done(new AppError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This route takes application/json only'), undefined);
  });
}
