import { type ScopedCache, invalidateListPages, readListPage } from './list-pages';

/** A cache in one scope, in memory (what PlatformCache does minus Redis and the TTLs). */
function memoryCache(): ScopedCache & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return {
    entries,
    get: <T>(kind: string, id: string) => Promise.resolve(entries.get(`${kind}:${id}`) as T | undefined),
    set: (kind, id, value) => {
      entries.set(`${kind}:${id}`, value);
      return Promise.resolve();
    },
    del: (kind, id) => {
      entries.delete(`${kind}:${id}`);
      return Promise.resolve();
    },
  };
}

describe('readListPage', () => {
  let rows: string[];
  let queries: string[];
  const loaders = (skip: number, limit: number) => ({
    items: () => {
      queries.push(`items ${skip}+${limit}`);
      return Promise.resolve(rows.slice(skip, skip + limit));
    },
    total: () => {
      queries.push('total');
      return Promise.resolve(rows.length);
    },
  });
  const read = (cache: ScopedCache, skip = 0, limit = 2, variant = 'all') =>
    readListPage(cache, 'things', variant, { skip, limit }, loaders(skip, limit));

  beforeEach(() => {
    rows = ['a', 'b', 'c'];
    queries = [];
  });

  it('serves a repeated page from the cache, and counts once per generation across pages', async () => {
    const cache = memoryCache();
    expect(await read(cache)).toEqual({ items: ['a', 'b'], total: 3 });
    expect(await read(cache)).toEqual({ items: ['a', 'b'], total: 3 });
    expect(await read(cache, 2)).toEqual({ items: ['c'], total: 3 });
    expect(queries).toEqual(['items 0+2', 'total', 'items 2+2']);
  });

  it('a write (invalidation) makes the next read query again: items and total', async () => {
    const cache = memoryCache();
    await read(cache);
    rows.push('d');
    await invalidateListPages(cache, 'things');
    expect(await read(cache, 2)).toEqual({ items: ['c', 'd'], total: 4 });
    expect(await read(cache)).toEqual({ items: ['a', 'b'], total: 4 });
    expect(queries).toEqual(['items 0+2', 'total', 'items 2+2', 'total', 'items 0+2']);
  });

  it('a page read before a write but stored after it is never served', async () => {
    const cache = memoryCache();
    await read(cache); // a generation exists
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = readListPage(
      cache,
      'things',
      'all',
      { skip: 0, limit: 5 },
      {
        items: async () => {
          const seen = rows.slice(0, 5);
          await gate; // the write lands while this query is in flight
          return seen;
        },
        total: () => Promise.resolve(3),
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    rows.push('d');
    await invalidateListPages(cache, 'things');
    release();
    expect((await slow).items).toEqual(['a', 'b', 'c']);
    expect(await read(cache, 0, 5)).toEqual({ items: ['a', 'b', 'c', 'd'], total: 4 });
  });

  it('filters (variants) have their own pages and totals', async () => {
    const cache = memoryCache();
    await read(cache, 0, 2, 'all');
    await read(cache, 0, 2, 'active');
    expect(queries).toEqual(['items 0+2', 'total', 'items 0+2', 'total']);
  });

  it('with no cache (every read a miss, every write lost) it reads the database each time', async () => {
    const none: ScopedCache = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      del: () => Promise.resolve(),
    };
    await read(none);
    rows.push('d');
    expect(await read(none)).toEqual({ items: ['a', 'b'], total: 4 });
  });
});
