import { LocalCache } from './local-cache';

describe('LocalCache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const cache = new LocalCache(2);
    cache.set('a', 1, 1000, 0);
    cache.set('b', 2, 1000, 0);
    expect(cache.get('a', 1)).toMatchObject({ value: 1, expiresAt: 1000 }); // a is now the most recent
    cache.set('c', 3, 1000, 2);
    expect([cache.get('a', 3)?.value, cache.get('b', 3), cache.get('c', 3)?.value]).toEqual([1, undefined, 3]);
    expect(cache.size).toBe(2);
  });

  it('keeps an entry hit between two passes of the eviction hand, whatever the churn; evicts one that is not', () => {
    const cache = new LocalCache(10);
    cache.set('hot', 'h', 1e6, 0);
    cache.set('cold', 'c', 1e6, 0);
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i, 1e6, 0);
      if (i % 5 === 0) expect(cache.get('hot', 1)?.value).toBe('h');
    }
    expect(cache.get('hot', 1)?.value).toBe('h');
    expect(cache.get('cold', 1)).toBeUndefined();
    expect(cache.size).toBe(10);
  });

  it('expires entries, keeps cached false and null as hits, ignores a zero TTL', () => {
    const cache = new LocalCache(10);
    cache.set('f', false, 100, 0);
    cache.set('n', null, 100, 0);
    cache.set('z', 1, 0, 0);
    expect([cache.get('f', 99), cache.get('n', 99), cache.get('z', 1)]).toEqual([
      expect.objectContaining({ value: false, expiresAt: 100 }),
      expect.objectContaining({ value: null, expiresAt: 100 }),
      undefined,
    ]);
    expect(cache.get('f', 100)).toBeUndefined();
  });

  it('tells a read in flight whether its key was invalidated meanwhile, per key', () => {
    const cache = new LocalCache(10);
    const a = cache.watch('a');
    const b = cache.watch('b');
    const a2 = cache.watch('a');
    cache.delete('b'); // another key's invalidation does not concern the reads of a
    expect(cache.end(a)).toBe(true);
    expect(cache.end(b)).toBe(false);
    cache.delete('a');
    expect(cache.end(a2)).toBe(false);
    expect(cache.watching).toBe(0); // nothing kept once the reads ended
  });

  it('refuses every read in flight after a clear', () => {
    const cache = new LocalCache(10);
    const a = cache.watch('a');
    cache.clear();
    expect(cache.end(a)).toBe(false);
    expect(cache.end(cache.watch('a'))).toBe(true);
  });
});
