import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares an `Authorization: Bearer <token>` header with METRICS_TOKEN in constant time. Both
 * sides are hashed first, so the comparison takes the same time whatever the lengths.
 */
export function metricsTokenMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = match?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length > 0;
}
