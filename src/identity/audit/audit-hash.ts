import { createHash } from 'node:crypto';
import type { AuditEventFields } from './audit.types';

/** The `prev_hash` of a stream's first event (no predecessor). */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so that the same
 * event always serializes to the same bytes (whatever order a document comes back from the
 * database in). Dates are ISO strings.
 */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 over the canonical JSON of the event's fields (seq and prev_hash included), so each
 * event commits to its predecessor: editing, removing or inserting one breaks the link after it.
 * Only the listed fields count: whatever else a stored document carries (`_id`, `hash`) does not.
 */
export function hashEvent(e: AuditEventFields): string {
  const fields: AuditEventFields = {
    seq: e.seq,
    at: e.at,
    actor: { type: e.actor.type, id: e.actor.id, email: e.actor.email },
    action: e.action,
    target: { type: e.target.type, id: e.target.id },
    outcome: e.outcome,
    ip: e.ip,
    request_id: e.request_id,
    details: e.details,
    prev_hash: e.prev_hash,
  };
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
