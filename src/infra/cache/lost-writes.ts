/**
 * Keys whose write or deletion (or its publish) did not reach Redis since the last recovery: on
 * recovery exactly these are deleted in Redis and dropped on every instance, so none can keep a
 * stale value (an old token version, a session not yet marked ended). Past `max` keys it stops
 * counting and recovery clears everything, as it always did before: clearing every cache on each
 * brief stall turned a 150 ms Redis timeout at 10,000 tenants into a storm of database reads
 * (bench scenario 5: ~46,000 misses per pass over the tenants).
 */
export class LostWrites {
  private readonly keys = new Set<string>();
  private overflowed = false;

  constructor(private readonly max: number) {}

  add(key: string): void {
    if (this.overflowed) return;
    this.keys.add(key);
    if (this.keys.size > this.max) {
      this.overflowed = true;
      this.keys.clear();
    }
  }

  /** What recovery must undo, and forget it: nothing, these keys, or everything. */
  take(): { keys: string[] } | 'all' | undefined {
    if (this.overflowed) {
      this.overflowed = false;
      return 'all';
    }
    if (this.keys.size === 0) return undefined;
    const keys = [...this.keys];
    this.keys.clear();
    return { keys };
  }
}
