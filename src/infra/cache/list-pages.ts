import { randomUUID } from 'node:crypto';
import type { CacheScope } from './cache-keys';
import type { PlatformCache } from './platform-cache.service';

/** A cache bound to one scope: TenantCache as it is, or PlatformCache through `scopedCache`. */
export interface ScopedCache {
  get<T>(kind: string, id: string): Promise<T | undefined>;
  set<T>(kind: string, id: string, value: T, ttlMs?: number): Promise<void>;
  del(kind: string, id: string): Promise<void>;
}

export function scopedCache(cache: PlatformCache, scope: CacheScope): ScopedCache {
  return {
    get: (kind, id) => cache.get(scope, kind, id),
    set: (kind, id, value, ttlMs) => cache.set(scope, kind, id, value, ttlMs),
    del: (kind, id) => cache.del(scope, kind, id),
  };
}

/**
 * How long a cached page or total lives. Every write through the list's repository invalidates
 * at once; this bound is for writers that bypass it (a tenant move's copy, an archive import, a
 * hand edit in the database).
 */
export const LIST_PAGE_TTL_MS = 10_000;
/** The generation outlives its pages; when it expires a new one is drawn, so no page is revived. */
const GENERATION_TTL_MS = 10 * 60_000;

const GENERATION = 'list-gen';
const PAGE = 'list-page';
const TOTAL = 'list-total';

export interface ListPageLoaders<T> {
  items: () => Promise<T[]>;
  total: () => Promise<number>;
}

/**
 * Pages of one list (in one scope), cached under the list's current generation: a random token
 * that every write replaces (`invalidateListPages`), so a page computed before a write is never
 * read after it. Why: on FerretDB 1.24 a page query and a count both load the whole collection
 * (~55 ms each at 1,000 documents), whatever the sort or index; only a point lookup is cheap.
 *
 * Order of operations makes it safe without atomics: a reader holds the generation before it
 * queries, and a writer replaces the generation after its write, so a page stored under a
 * generation was read after every write that generation survived. The total is cached apart,
 * per `variant` (the filter), so paging through a list counts once per generation.
 *
 * A cache failure is a miss (PlatformCache): the page is then read from the database.
 */
export async function readListPage<T>(
  cache: ScopedCache,
  list: string,
  variant: string,
  window: { skip: number; limit: number },
  load: ListPageLoaders<T>,
): Promise<{ items: T[]; total: number }> {
  let generation = await cache.get<string>(GENERATION, list);
  if (!generation) {
    generation = randomUUID();
    await cache.set(GENERATION, list, generation, GENERATION_TTL_MS);
  }
  const base = `${list}:${generation}:${variant}`;
  const pageKey = `${base}:${window.skip}:${window.limit}`;
  const cached = await cache.get<{ items: T[]; total: number }>(PAGE, pageKey);
  if (cached) return cached;

  const knownTotal = await cache.get<number>(TOTAL, base);
  const [items, total] = await Promise.all([load.items(), knownTotal ?? load.total()]);
  const page = { items, total };
  await Promise.all([
    cache.set(PAGE, pageKey, page, LIST_PAGE_TTL_MS),
    knownTotal === undefined ? cache.set(TOTAL, base, total, LIST_PAGE_TTL_MS) : undefined,
  ]);
  return page;
}

/** After a write to the list's collection (its response fields, or which documents it holds). */
export async function invalidateListPages(cache: ScopedCache, list: string): Promise<void> {
  await cache.del(GENERATION, list);
}
