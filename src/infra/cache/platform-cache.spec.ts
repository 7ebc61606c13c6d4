import type { Cache } from 'cache-manager';
import type { AppConfig } from '../config/app-config';
import type { CacheInvalidation } from './cache-invalidation.service';
import { PlatformCache } from './platform-cache.service';
import type { RedisGate } from './redis-gate.service';

/** Without Redis: the in-process cache is the whole cache (the refresh-ahead is the same with Redis live). */
function cacheWithoutRedis(): PlatformCache {
  const gate = { configured: false, onRecovery: () => undefined } as unknown as RedisGate;
  const invalidation = { attach: () => undefined, live: false } as unknown as CacheInvalidation;
  const config = { localCacheMaxEntries: 100, localCacheTtlMs: 60000, cacheTtlMs: 30000 } as AppConfig;
  return new PlatformCache({} as Cache, gate, config, invalidation);
}

const scope = { tenantId: 't1' };

describe('PlatformCache refresh-ahead', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('reloads an entry in the last quarter of its lifetime, once at a time, and serves it meanwhile', async () => {
    const cache = cacheWithoutRedis();
    await cache.set(scope, 'state', 'u1', 'v1', 1000);
    let calls = 0;
    let finish!: () => void;
    const reload = () => {
      calls++;
      return new Promise<void>((resolve) => (finish = resolve)).then(() => cache.set(scope, 'state', 'u1', 'v2', 1000));
    };

    jest.setSystemTime(1_000_000 + 700); // within the first three quarters: no reload
    await expect(cache.get(scope, 'state', 'u1', reload)).resolves.toBe('v1');
    expect(calls).toBe(0);

    jest.setSystemTime(1_000_000 + 800);
    await expect(cache.get(scope, 'state', 'u1', reload)).resolves.toBe('v1'); // served while reloading
    await expect(cache.get(scope, 'state', 'u1', reload)).resolves.toBe('v1');
    expect(calls).toBe(1); // one reload per key at a time

    finish();
    await jest.advanceTimersByTimeAsync(0);
    jest.setSystemTime(1_000_000 + 1500); // past the first entry's expiry: the reloaded one serves
    await expect(cache.get(scope, 'state', 'u1', reload)).resolves.toBe('v2');
    expect(calls).toBe(1);
  });

  it('lets an entry expire when no reload is given (and after a failed reload)', async () => {
    const cache = cacheWithoutRedis();
    await cache.set(scope, 'state', 'u1', 'v1', 1000);
    jest.setSystemTime(1_000_000 + 900);
    await expect(cache.get(scope, 'state', 'u1', () => Promise.reject(new Error('db down')))).resolves.toBe('v1');
    await jest.advanceTimersByTimeAsync(0);
    jest.setSystemTime(1_000_000 + 1000);
    await expect(cache.get(scope, 'state', 'u1')).resolves.toBeUndefined();
  });
});
