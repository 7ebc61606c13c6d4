interface Entry {
  value: unknown;
  expiresAt: number;
  /** From then on a hit asks for a background reload (refresh-ahead); Infinity: never. */
  refreshAt: number;
  /** `clock` when the entry was last put at the recent end (set, or a hit that moved it). */
  touched: number;
}

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
 * A hit re-inserts its entry only once it has aged past half the capacity (`clock` counts
 * insertions): a Map delete + set costs time that grows with the Map's size (V8: ~9 µs a hit at
 * 10,000 entries, ~29 µs at 50,000, against ~0.1 µs for a plain lookup), and a request does
 * about five lookups. An entry hit at least once per half a capacity of insertions is still never
 * the first key, so what is evicted is still one that went unused the longest, give or take half
 * the cache.
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
  private clock = 0;
  private readonly refreshAge: number;

  constructor(private readonly maxEntries: number) {
    this.refreshAge = Math.max(1, Math.floor(maxEntries / 2));
  }

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
    if (this.clock - entry.touched >= this.refreshAge) {
      this.entries.delete(key);
      entry.touched = ++this.clock;
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** `refreshAfterMs`: when a hit should start a background reload (PlatformCache's refresh-ahead). */
  set(key: string, value: unknown, ttlMs: number, now = Date.now(), refreshAfterMs = Number.POSITIVE_INFINITY): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs, refreshAt: now + refreshAfterMs, touched: ++this.clock });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
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
