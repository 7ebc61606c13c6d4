import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../common/errors/error-body';
import { normalizeError } from '../../common/errors/normalize-error';

/**
 * Writes the documented error body for anything thrown while serving a request.
 * Shared by the Nest exception filter and Fastify's own error handler (body parsing, limits),
 * so both paths answer in one shape.
 */
export function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): void {
  const normalized = normalizeError(err);
  if (normalized.unexpected) {
    // The request id is the error id: it is in the body and in this log line.
    request.log.error({ err, request_id: request.id }, 'unhandled error');
  } else if (normalized.status >= 500) {
    request.log.warn({ code: normalized.code, reason: (err as Error)?.name }, normalized.detail);
  }
  // Set here too: router-level errors (frameworkErrors) skip the onSend hook that adds it.
  void reply.header('x-request-id', request.id);
  for (const [name, value] of Object.entries(normalized.headers ?? {})) void reply.header(name, value);
  void reply
    .code(normalized.status)
    .type('application/json; charset=utf-8')
    .send(errorBody(normalized.status, normalized.code, normalized.detail, request.id, normalized.errors));
}
