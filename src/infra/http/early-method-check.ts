import type { FastifyInstance } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { RouteIndex } from './method-not-allowed';
import { sendError } from './send-error';

/** A CORS preflight is OPTIONS with both of these (Fetch standard); any other OPTIONS is not. */
function isPreflight(headers: Record<string, unknown>): boolean {
  return headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/** Methods our routes are registered for; Fastify knows more (QUERY, PROPFIND, MKCOL...). */
const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Answers, in the documented shape and before anything else looks at the request, two kinds of
 * request that slipped past the 404/405 of the exception filter:
 * - a method no route of ours serves, such as QUERY (RFC 10008): Fastify refused it with 400 for
 *   a missing Content-Type, or parsed its body, before the not-found handler could answer;
 * - OPTIONS that is not a CORS preflight, which @fastify/cors (its `OPTIONS *` route) answered
 *   with a text/plain 400. Now it is just another method, as when CORS is off.
 * Both get 405 with `Allow` on a known path, 404 on an unknown one. Other methods keep going
 * through Nest (whose not-found handler gives the same answers).
 */
export function answerWrongMethodEarly(fastify: FastifyInstance, routes: RouteIndex): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const { method } = request;
    const plainOptions = method === 'OPTIONS' && !isPreflight(request.headers);
    if (!plainOptions && ROUTED_METHODS.has(method)) return done();
    const path = request.url.split('?')[0];
    const allowed = routes.allowedMethods(path);
    const error =
      allowed.length === 0
        ? new AppError(404, ErrorCode.NOT_FOUND, `No route ${method} ${path}`)
        : new AppError(405, ErrorCode.METHOD_NOT_ALLOWED, `Method ${method} not allowed on ${path}`, {
            headers: { Allow: allowed.join(', ') },
          });
    sendError(request, reply, error);
  });
}
