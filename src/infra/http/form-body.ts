import type { FastifyInstance } from 'fastify';
import { ACCEPTS_FORM } from '../../common/decorators/accepts-form.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Fastify parses a form body for every route once Nest registers the parser; only routes marked
 * `@AcceptsForm()` (the OAuth2 login) document one. Elsewhere a form body is refused with 415
 * before it is parsed, like any other type the route does not list.
 */
export function refuseFormBodiesOnJsonRoutes(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    // An unknown path stays a 404 (Nest's not-found handler), whatever its body.
    if (request.routeOptions.url === undefined) return done(null, payload);
    const type = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (type !== FORM || config?.[ACCEPTS_FORM] === true) return done(null, payload);
    done(
      new AppError(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'This route takes application/json only; send the body as JSON',
      ),
    );
  });
}
