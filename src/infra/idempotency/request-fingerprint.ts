import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What makes two requests "the same" under one key: method, path with query, and body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  // A streamed body (a tenant archive, read by the handler) cannot be part of it without buffering
  // it first: such a route documents that a key retries the same upload only.
  const content = body instanceof Readable ? '"[streamed body]"' : canonicalJson(body);
  return createHash('sha256')
    .update(JSON.stringify([method, url, content]))
    .digest('hex');
}

/** The record id of a key: the scope (tenant and principal) is part of it, so keys never collide across tenants. */
export function idempotencyRecordId(scope: string, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify([scope, key]))
    .digest('hex');
}
