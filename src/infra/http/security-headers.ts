import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

type CspDirectives = NonNullable<Exclude<HelmetOptions['contentSecurityPolicy'], boolean | undefined>['directives']>;

/**
 * The helmet headers, computed once at boot. @fastify/helmet runs helmet on every request, which
 * re-parses and re-serialises the CSP each time: 12% of the CPU of a cached authenticated read in
 * a profile (docs/benchmarks.md). The headers do not depend on the request, so they are computed
 * here by running helmet once against a recording response.
 */
export function computeSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase());
    },
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure instanceof Error ? failure : new Error('helmet refused its options');
  return Object.fromEntries(headers);
}

/** The two precomputed header sets: one for requests that came over HTTPS, one for plain HTTP. */
export interface SchemeHeaders {
  https: Record<string, string>;
  http: Record<string, string>;
}

/**
 * HSTS and the CSP's `upgrade-insecure-requests` only make sense on a page served over HTTPS. On
 * plain HTTP at any address but localhost, `upgrade-insecure-requests` makes the browser fetch
 * Swagger UI's own scripts over HTTPS, which nothing answers: the page stays blank. So the HTTP set
 * drops both (helmet: `hsts: false`, a directive set to null is removed), and Cross-Origin-Opener-
 * Policy too: browsers ignore it on a plain-HTTP origin and print an error on every page saying so.
 */
export function computeSchemeHeaders(directives: CspDirectives): SchemeHeaders {
  return {
    https: computeSecurityHeaders({ contentSecurityPolicy: { directives } }),
    http: computeSecurityHeaders({
      strictTransportSecurity: false,
      crossOriginOpenerPolicy: false,
      contentSecurityPolicy: { directives: { ...directives, upgradeInsecureRequests: null } },
    }),
  };
}
