interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * A bounded in-process LRU with per-entry expiry, in front of Redis (or the whole cache without
 * Redis). Values are shared by reference: callers treat cached values as read-only (they are plain
 * JSON, as in Redis). A Map keeps insertion order, so re-inserting on a hit makes it the most
 * recent and the first key is the least recently used.
 *
 * `epoch` moves on every invalidation: a read that went to Redis stores its answer locally only
 * if no invalidation arrived meanwhile (its answer may predate the change the invalidation was for).
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>();
  private epochValue = 0;

  constructor(private readonly maxEntries: number) {}

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
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, value: unknown, ttlMs: number, now = Date.now()): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
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
