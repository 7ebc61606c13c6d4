import { type Context, type Span, context, createContextKey, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The request's side of tracing. It imports only @opentelemetry/api (no SDK): without tracing
 * started, none of this runs (`active` stays false and the hook is never registered).
 */
export const requestTracing = { active: false };

/** Span attributes naming the request and its tenant (bounded to ids: no body, no user data). */
export const ATTR_REQUEST_ID = 'app.request_id';
export const ATTR_TENANT_ID = 'app.tenant_id';

/** The attributes every span started inside a request carries (copied by RequestAttributesProcessor). */
export const REQUEST_ATTRIBUTES = createContextKey('app.request_attributes');

const serverSpans = new WeakMap<FastifyRequest, Span>();

/**
 * Remembers each request's HTTP server span (active while Fastify runs onRequest, inside the
 * http instrumentation's context) and tags it with the request id. Body parsing resumes from
 * socket callbacks where that context is lost, so the request context re-enters it below.
 */
export function registerRequestSpanHook(fastify: FastifyInstance): void {
  if (!requestTracing.active) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    if (span) {
      span.setAttribute(ATTR_REQUEST_ID, request.id);
      serverSpans.set(request, span);
    }
    done();
  });
}

/**
 * Runs `fn` (the handler) inside the request's server span, tenant id set once known (after the
 * guards), so MongoDB and Redis spans of the handler are its children and carry both ids.
 */
export function runInRequestSpan<R>(request: FastifyRequest, tenantId: string | undefined, fn: () => R): R {
  if (!requestTracing.active) return fn();
  const span = serverSpans.get(request);
  const attributes: Record<string, string> = { [ATTR_REQUEST_ID]: request.id };
  if (tenantId) attributes[ATTR_TENANT_ID] = tenantId;
  span?.setAttributes(attributes);
  let ctx: Context = context.active().setValue(REQUEST_ATTRIBUTES, attributes);
  if (span) ctx = trace.setSpan(ctx, span);
  return context.with(ctx, fn);
}
