import { canonicalJson, GENESIS_HASH, hashEvent } from './audit-hash';
import type { AuditEventFields } from './audit.types';

const event = (): AuditEventFields => ({
  seq: 1,
  at: new Date('2026-11-30T12:00:00.000Z'),
  actor: { type: 'user', id: 'u1', email: 'a@example.com' },
  action: 'user.created',
  target: { type: 'user', id: 'u2' },
  outcome: 'success',
  ip: '203.0.113.7',
  request_id: 'r1',
  details: { role: 'user', fields: ['a', 'b'] },
  prev_hash: GENESIS_HASH,
});

describe('audit hash', () => {
  it('canonical JSON sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(canonicalJson(new Date('2026-01-01T00:00:00Z'))).toBe('"2026-01-01T00:00:00.000Z"');
  });

  it('is the same whatever order the fields come back in, and ignores what is not an event field', () => {
    const e = event();
    const reordered = JSON.parse(JSON.stringify({ details: e.details, seq: e.seq })) as Partial<AuditEventFields>;
    const again = { ...reordered, ...e, _id: 1, hash: 'whatever' } as AuditEventFields;
    expect(hashEvent(again)).toBe(hashEvent(e));
    expect(hashEvent(e)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with every covered field, the link to the previous event included', () => {
    const base = hashEvent(event());
    const variants: Array<Partial<AuditEventFields>> = [
      { seq: 2 },
      { at: new Date('2026-11-30T12:00:00.001Z') },
      { actor: { type: 'user', id: 'u1' } },
      { action: 'user.deleted' },
      { target: { type: 'user', id: 'u3' } },
      { outcome: 'failure' },
      { ip: null },
      { request_id: 'r2' },
      { details: { role: 'tenant_admin', fields: ['a', 'b'] } },
      { prev_hash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(hashEvent({ ...event(), ...v })).not.toBe(base);
  });
});
