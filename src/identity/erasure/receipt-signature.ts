import { createHmac, timingSafeEqual } from 'node:crypto';

export const RECEIPT_SIGNATURE_ALGORITHM = 'HMAC-SHA256';

/**
 * The bytes a receipt's signature covers: JSON with object keys sorted at every depth and no
 * whitespace. Receipts hold only strings, numbers, booleans, null, arrays and plain objects, so
 * this is unambiguous and anyone can recompute it (docs/operations.md shows it in a few lines).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Hex HMAC-SHA256 of the canonical JSON of `body`. */
export function signReceipt(body: unknown, key: string): string {
  return createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
}

export function verifyReceipt(body: unknown, signature: string, key: string): boolean {
  const expected = Buffer.from(signReceipt(body, key), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
