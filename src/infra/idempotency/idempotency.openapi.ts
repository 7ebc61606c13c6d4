import type { OpenAPIObject, ParameterObject, ResponseObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, operationTakesIdempotencyKey } from './idempotency.rule';

const PARAMETER: ParameterObject = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Optional. A unique value per intended creation (e.g. a UUID), 1-255 printable ASCII characters. ' +
    'A retry with the same key and the same body within 24 h gets the first response again ' +
    '(header `Idempotent-Replayed: true`) without creating anything; keys are scoped to the caller ' +
    'and tenant. Only successful responses are kept: after an error, a retry runs again.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$' },
};

const errorBody = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } },
});

const RESPONSES: Record<string, string> = {
  '400': 'IDEMPOTENCY_KEY_INVALID: the Idempotency-Key header is empty, too long or not printable ASCII',
  '409': 'IDEMPOTENCY_KEY_IN_USE: a request with this Idempotency-Key is still running (Retry-After: 1)',
  '422': 'IDEMPOTENCY_KEY_REUSED: this Idempotency-Key was used with another request (method, path or body)',
};

/** Adds the optional header, and the statuses it can cause, to the operations the rule selects. */
export function documentIdempotencyKey(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    const operation = item.post;
    if (!operation || !operationTakesIdempotencyKey('post', operation)) continue;
    operation.parameters = [...(operation.parameters ?? []), PARAMETER];
    for (const [status, description] of Object.entries(RESPONSES)) {
      const existing = operation.responses[status] as ResponseObject | undefined;
      // A copy: Nest may share one response object between the routes of a controller.
      operation.responses[status] = existing
        ? { ...existing, description: `${existing.description}; ${description}` }
        : errorBody(description);
    }
  }
}
