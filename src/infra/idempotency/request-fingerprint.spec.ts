import { canonicalJson, idempotencyRecordId, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores key order and undefined members, not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"e":1,"f":2}]},"b":1}',
    );
    const fp = requestFingerprint('POST', '/api/v1/projects', { name: 'p', description: 'd' });
    expect(requestFingerprint('POST', '/api/v1/projects', { description: 'd', name: 'p' })).toBe(fp);
    expect(requestFingerprint('POST', '/api/v1/projects', { description: 'd', name: 'q' })).not.toBe(fp);
    expect(requestFingerprint('POST', '/api/v1/users', { description: 'd', name: 'p' })).not.toBe(fp);
  });

  it('scopes a key: the same key in two tenants is two records', () => {
    expect(idempotencyRecordId('t:a:u:1', 'k')).not.toBe(idempotencyRecordId('t:b:u:1', 'k'));
    // No ambiguity from concatenation.
    expect(idempotencyRecordId('t:a', 'b\nc')).not.toBe(idempotencyRecordId('t:a\nb', 'c'));
  });
});
