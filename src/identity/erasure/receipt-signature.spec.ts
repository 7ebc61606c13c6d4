import { createHmac } from 'node:crypto';
import { canonicalJson, signReceipt, verifyReceipt } from './receipt-signature';

describe('erasure receipt signature', () => {
  const key = 'k'.repeat(40);

  it('canonical JSON sorts keys at every depth and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"y":"x","z":null}]},"b":1}',
    );
  });

  it('is the HMAC-SHA256 of that text, independent of key order', () => {
    const body = { tenant_id: 't', deleted: { sessions: 2, accounts: 3 } };
    const hand = createHmac('sha256', key)
      .update('{"deleted":{"accounts":3,"sessions":2},"tenant_id":"t"}')
      .digest('hex');
    expect(signReceipt(body, key)).toBe(hand);
    expect(signReceipt({ deleted: { accounts: 3, sessions: 2 }, tenant_id: 't' }, key)).toBe(hand);
  });

  it('a changed field, another key or a malformed signature does not verify', () => {
    const body = { tenant_id: 't', deleted: { accounts: 3 } };
    const sig = signReceipt(body, key);
    expect(verifyReceipt(body, sig, key)).toBe(true);
    expect(verifyReceipt({ ...body, deleted: { accounts: 2 } }, sig, key)).toBe(false);
    expect(verifyReceipt(body, sig, 'x'.repeat(40))).toBe(false);
    expect(verifyReceipt(body, 'zz', key)).toBe(false);
  });
});
