interface Entry {
  value: unknown;
  expiresAt: number;
  /** `clock` when the entry was last put at the recent end (set, or a hit that moved it). */
  touched: number;
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
 * `epoch` moves on every invalidation: a read that went to Redis stores its answer locally only
 * if no invalidation arrived meanwhile (its answer may predate the change the invalidation was for).
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>();
  private epochValue = 0;
  private clock = 0;
  private readonly refreshAge: number;

  constructor(private readonly maxEntries: number) {
    this.refreshAge = Math.max(1, Math.floor(maxEntries / 2));
  }

  get epoch(): number {
    return this.epochValue;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `undefined` on a miss; a cached `null`/`false` is a hit. */
  get(key: string, now = Date.now()): { value: unknown } | undefined {
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

  set(key: string, value: unknown, ttlMs: number, now = Date.now()): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs, touched: ++this.clock });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** An invalidation (local or from another instance). */
  delete(key: string): void {
    this.epochValue++;
    this.entries.delete(key);
  }

  clear(): void {
    this.epochValue++;
    this.entries.clear();
  }
}
