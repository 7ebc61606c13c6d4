import { hashApiKey, isApiKeyShaped, newApiKeySecret } from './api-key-secret';

describe('API key secrets', () => {
  it('makes keys of the documented shape, starting with their visible prefix, hashed with SHA-256', () => {
    const made = Array.from({ length: 200 }, () => newApiKeySecret());
    for (const { key, prefix, hash } of made) {
      expect(key).toMatch(/^mtk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(`${prefix}_`)).toBe(true);
      expect(isApiKeyShaped(key)).toBe(true);
      expect(hash).toBe(hashApiKey(key));
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(made.map((m) => m.key)).size).toBe(made.length);
  });

  it('refuses what is not a key before any lookup', () => {
    const { key } = newApiKeySecret();
    for (const bad of ['', 'mtk_', key.slice(1), `${key}x`, key.replace('mtk_', 'mtx_'), `${key.slice(0, -1)}=`]) {
      expect({ bad, shaped: isApiKeyShaped(bad) }).toEqual({ bad, shaped: false });
    }
  });
});
