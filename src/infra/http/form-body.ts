import type { FastifyInstance, preParsingHookHandler } from 'fastify';
import { ACCEPTS_FORM } from '../../common/decorators/accepts-form.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

const FORM = 'application/x-www-form-urlencoded';

/** Fastify never reads a GET or HEAD body: routes of only those methods need no check. */
const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * Fastify parses a form body for every route once Nest registers the parser; only routes marked
 * `@AcceptsForm()` (the OAuth2 login) document one. Elsewhere a form body is refused with 415
 * before it is parsed, like any other type the route does not list. A route-level preParsing hook,
 * added at registration to the routes that can take a body and do not accept forms: a global one
 * ran on every request, GETs included (an unknown path has no route, so it stays a 404).
 */
export function refuseFormBodiesOnJsonRoutes(fastify: FastifyInstance): void {
  const refuseForm: preParsingHookHandler = (request, _reply, payload, done) => {
    const type = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
    if (type !== FORM) return done(null, payload);
    done(
      new AppError(
        415,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'This route takes application/json only; send the body as JSON',
      ),
    );
  };
  fastify.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (methods.every((m) => BODYLESS.has(m))) return;
    const config = route.config as Record<string, unknown> | undefined;
    if (config?.[ACCEPTS_FORM] === true) return;
    const existing = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [...existing, refuseForm];
  });
}
