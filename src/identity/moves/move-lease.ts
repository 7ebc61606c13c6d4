import type { LeaseService } from '../leases/lease.service';

export class LeaseLost extends Error {
  constructor(key: string) {
    super(`lease ${key} lapsed and may be held by another worker`);
    this.name = 'LeaseLost';
  }
}

/**
 * A held lease renewed in the background every third of its time. A worker calls `assert()`
 * before each step that writes: once a renewal fails, another worker may have taken over.
 */
export class HeldLease {
  private lost = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly leases: LeaseService,
    private readonly key: string,
    private readonly owner: string,
    ttlMs: number,
  ) {
    this.timer = setInterval(
      () => {
        leases.renew(key, owner, ttlMs).then(
          (ok) => (this.lost ||= !ok),
          () => undefined, // a failed round trip is retried at the next tick; the TTL covers two misses
        );
      },
      Math.max(100, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  assert(): void {
    if (this.lost) throw new LeaseLost(this.key);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.lost) await this.leases.release(this.key, this.owner).catch(() => undefined);
  }
}
