import { applyDecorators } from '@nestjs/common';
import { routeFlag } from './route-flag.decorator';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';

/** Fastify route config flag read by the HTTP layer (infra/http/archive-body.ts). */
export const ACCEPTS_ARCHIVE = 'acceptsArchive';
export const ARCHIVE_MEDIA_TYPE = 'application/gzip';

/**
 * The route takes a raw `application/gzip` body, handed to the handler as a stream (never
 * buffered; the handler bounds its size). Every other route answers such a body with 415. The flag
 * and the OpenAPI request body come from this one decorator, so they cannot disagree.
 */
export function AcceptsArchive(description: string): MethodDecorator {
  return applyDecorators(
    routeFlag(ACCEPTS_ARCHIVE),
    ApiConsumes(ARCHIVE_MEDIA_TYPE),
    ApiBody({ description, schema: { type: 'string', format: 'binary' } }),
  );
}
