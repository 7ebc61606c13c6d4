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

const requestAttributes = new WeakMap<FastifyRequest, Record<string, string>>();

/**
 * Runs `fn` (the rest of the request: guards and handler) inside the request's server span, so
 * MongoDB and Redis spans of the request are its children and carry its id (and its tenant's, once
 * admitted: tagRequestTenant).
 */
export function runInRequestSpan<R>(request: FastifyRequest, fn: () => R): R {
  if (!requestTracing.active) return fn();
  const span = serverSpans.get(request);
  const attributes: Record<string, string> = { [ATTR_REQUEST_ID]: request.id };
  requestAttributes.set(request, attributes);
  span?.setAttributes(attributes);
  let ctx: Context = context.active().setValue(REQUEST_ATTRIBUTES, attributes);
  if (span) ctx = trace.setSpan(ctx, span);
  return context.with(ctx, fn);
}

/** The request's tenant, once admitted: on its server span and on every span started after. */
export function tagRequestTenant(request: FastifyRequest, tenantId: string): void {
  if (!requestTracing.active) return;
  serverSpans.get(request)?.setAttribute(ATTR_TENANT_ID, tenantId);
  const attributes = requestAttributes.get(request);
  if (attributes) attributes[ATTR_TENANT_ID] = tenantId; // the object in the context: read at span start
}
