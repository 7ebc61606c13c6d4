import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Printable ASCII without spaces, 1 to 255 characters (a UUID is the usual choice). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Which routes take an `Idempotency-Key`: the authenticated POSTs that answer 201, i.e. the ones
 * that create something. A rule rather than a per-route decorator, so that a new module's create
 * route gets it without anyone remembering to; the interceptor (runtime) and the OpenAPI document
 * (idempotency.openapi.ts) apply the same rule, in their own terms.
 *
 * Anonymous creates (POST /auth/register) are left out on purpose: there is no principal to scope
 * a key to, and their response carries fresh tokens, which must not be stored in the database
 * (sessions keep only token hashes); a retried sign-up is refused as USER_EXISTS instead.
 */
export function takesIdempotencyKey(route: {
  method: string;
  authenticated: boolean;
  successStatus: number | undefined;
}): boolean {
  return route.method.toUpperCase() === 'POST' && route.authenticated && (route.successStatus ?? 201) === 201;
}

/** The same rule read from a document operation: a POST with a 201 response and a security requirement. */
export function operationTakesIdempotencyKey(method: string, operation: OperationObject): boolean {
  return takesIdempotencyKey({
    method,
    authenticated: (operation.security ?? []).length > 0,
    successStatus: '201' in operation.responses ? 201 : 200,
  });
}

/** Every operation the rule selects, as `METHOD path` (tests read the document through this). */
export function idempotentOperations(document: OpenAPIObject): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const post = item.post;
    if (post && operationTakesIdempotencyKey('post', post)) out.push(`POST ${path}`);
  }
  return out;
}
