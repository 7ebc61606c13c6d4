/**
 * A typed client for this API: the types in ./schema.d.ts are generated from openapi.json
 * (`npm run client`, openapi-typescript pinned in package.json) and the requests go through
 * openapi-fetch, so paths, parameters, bodies, answers and error bodies are all checked by the
 * TypeScript compiler against the published contract. README "Consumers" shows it in use.
 */
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';
export type ApiClient = Client<paths>;

/** The documented error shape: every answer with status >= 400 has it (README "Errors"). */
export type ErrorBody = components['schemas']['ErrorBodyDto'];
/** Every error code the API may answer (platform codes and those of the feature modules). */
export type ErrorCode = components['schemas']['ErrorCode'];
export type TokenPair = components['schemas']['TokenPairResponse'];

/** `baseUrl` is required: the document's server is relative (`/`), each deployment has its own host. */
export function createApiClient(options: ClientOptions & { baseUrl: string }): ApiClient {
  return createClient<paths>(options);
}

/**
 * Sends `Authorization: Bearer <token>` on every request; `token()` is read per request, so a
 * refreshed token is picked up. `client.use(bearerAuth(() => tokens.access_token))`.
 */
export function bearerAuth(token: () => string | undefined): Middleware {
  return {
    onRequest({ request }) {
      const value = token();
      if (value) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
  };
}

/**
 * Body serializer for `application/x-www-form-urlencoded`: the OAuth2 password form that
 * `POST /api/v1/auth/login` takes (what OAuth2 tools and Swagger UI's Authorize send). openapi-fetch
 * sends JSON unless told otherwise; fields that are `undefined` or `null` are left out (not sent as
 * the text "undefined"), strings as they are and other values as their JSON text (`true`, `42`).
 */
export function formUrlEncoded(body: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form.toString();
}

/**
 * Spread into the options of the login call to send the OAuth2 form instead of JSON:
 * `client.POST('/api/v1/auth/login', { body: { grant_type: 'password', username, password }, ...OAUTH2_FORM })`.
 */
export const OAUTH2_FORM = {
  bodySerializer: formUrlEncoded,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
} as const;

/** Narrows an unknown value (a caught error, a response read by hand) to the documented error shape. */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    typeof body.status === 'number' &&
    typeof body.code === 'string' &&
    typeof body.detail === 'string' &&
    typeof body.request_id === 'string'
  );
}
