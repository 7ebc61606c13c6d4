interface Entry {
  value: unknown;
  expiresAt: number;
  /** From then on a hit asks for a background reload (refresh-ahead); Infinity: never. */
  refreshAt: number;
  /** Hit since the eviction hand last passed it (second chance). */
  referenced: boolean;
}

/** Marked entries an eviction may move before it takes the oldest anyway (bounds a `set`'s cost). */
const SECOND_CHANCES = 32;

/** Invalidations of one key while reads of it are in flight (dropped when the last one ends). */
interface Slot {
  changes: number;
  watchers: number;
}

/** A read of `key` in flight, from LocalCache.watch to LocalCache.end. */
export interface Watch {
  readonly key: string;
  readonly slot: Slot;
  readonly changes: number;
  readonly clears: number;
}

/**
 * A bounded in-process LRU with per-entry expiry, in front of Redis (or the whole cache without
 * Redis). Values are shared by reference: callers treat cached values as read-only (they are plain
 * JSON, as in Redis). A Map keeps insertion order, so re-inserting an entry makes it the most
 * recent and the first key is the least recently used.
 *
 * A hit only marks its entry (`referenced`): it never reorders the Map. Eviction is second chance
 * (CLOCK): beyond capacity, the oldest entry goes unless it was hit since it was last passed, in
 * which case it is unmarked and moved to the recent end, and the next oldest is tried. Why: a Map
 * delete + set on every hit costs time that grows with the Map's size (V8: ~9 µs a hit at 10,000
 * entries, ~29 µs at 50,000, against ~0.1 µs for a plain lookup), and a request does about five
 * lookups; at 10,000 tenants (~60,000 entries) the cache's `get` was 8 % of the server's busy time.
 * While the working set fits (the usual case) nothing is ever moved.
 *
 * A read that went to Redis stores its answer locally only if no invalidation of its key (nor a
 * clear) arrived meanwhile: its answer may predate the change the invalidation was for. Tracked per
 * key (`watch` / `end`), not by one counter for the whole cache: with a single counter every write
 * anywhere (a list-page generation bump per project created) kept every concurrent read of every
 * other key from being stored, so under writes the local cache stopped filling and each request
 * went back to Redis (bench scenario 3 write: 2 Redis commands per request).
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly watched = new Map<string, Slot>();
  private clears = 0;

  constructor(private readonly maxEntries: number) {}

  /** A read of `key` starts: `end` says whether its answer may be stored. Every watch must end. */
  watch(key: string): Watch {
    let slot = this.watched.get(key);
    if (!slot) {
      slot = { changes: 0, watchers: 0 };
      this.watched.set(key, slot);
    }
    slot.watchers++;
    return { key, slot, changes: slot.changes, clears: this.clears };
  }

  /** The read ended: true when no invalidation of its key, and no clear, arrived since `watch`. */
  end(watch: Watch): boolean {
    if (--watch.slot.watchers === 0 && this.watched.get(watch.key) === watch.slot) this.watched.delete(watch.key);
    return watch.slot.changes === watch.changes && this.clears === watch.clears;
  }

  /** Reads in flight being watched (diagnostics, tests: it must drop back to zero). */
  get watching(): number {
    return this.watched.size;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `undefined` on a miss; a cached `null`/`false` is a hit. */
  get(key: string, now = Date.now()): { value: unknown; refreshAt: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    entry.referenced = true;
    return entry;
  }

  /** `refreshAfterMs`: when a hit should start a background reload (PlatformCache's refresh-ahead). */
  set(key: string, value: unknown, ttlMs: number, now = Date.now(), refreshAfterMs = Number.POSITIVE_INFINITY): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs, refreshAt: now + refreshAfterMs, referenced: false });
    if (this.entries.size > this.maxEntries) this.evictOne();
  }

  /** Second chance, bounded: after SECOND_CHANCES marked entries the oldest goes regardless. */
  private evictOne(): void {
    for (let tries = 0; ; tries++) {
      const oldest = this.entries.entries().next();
      if (oldest.done) return;
      const [key, entry] = oldest.value;
      this.entries.delete(key);
      if (!entry.referenced || tries >= SECOND_CHANCES) return;
      entry.referenced = false;
      this.entries.set(key, entry);
    }
  }

  /** An invalidation (local or from another instance). */
  delete(key: string): void {
    this.entries.delete(key);
    const slot = this.watched.get(key);
    if (slot) slot.changes++;
  }

  clear(): void {
    this.clears++;
    this.entries.clear();
  }
}
