import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { requestTracing, runInRequestSpan } from '../tracing/request-span';
import type { RequestContext, RequestContextData } from './request-context';
import { SKIP_REQUEST_CONTEXT } from './skip-request-context.decorator';

/**
 * Enters each request's AsyncLocalStorage context in a route-level preHandler hook, added at
 * registration to every route but `@SkipRequestContext()` ones (which pay nothing). Fastify calls
 * the route handler synchronously from the last preHandler's `done`, so Nest's guards, pipes and
 * handler all run inside `run`. Not earlier: body parsing resumes from socket callbacks, where a
 * context entered in an onRequest hook is lost. Not in a Nest interceptor, as before: any
 * interceptor puts a route on Nest's rxjs path, 27 µs of the 75 µs of CPU of `GET /auth/me`
 * (`npm run bench:pipeline`, docs/benchmarks.md). The context starts with the request's id and
 * address; the guards add the principal and the admitted tenant (RequestContextGuard).
 */
export function enterRequestContext(fastify: FastifyInstance, context: RequestContext): void {
  const enter: preHandlerHookHandler = (request, _reply, done) => {
    const data: RequestContextData = {
      requestId: request.id,
      principal: undefined,
      tenantId: undefined,
      ip: request.ip,
    };
    if (requestTracing.active) runInRequestSpan(request, () => context.run(data, done));
    else context.run(data, done);
  };
  fastify.addHook('onRoute', (route) => {
    const config = route.config as Record<string, unknown> | undefined;
    if (config?.[SKIP_REQUEST_CONTEXT] === true) return;
    const existing = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...existing, enter];
  });
}
