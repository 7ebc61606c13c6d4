import type { Connection } from 'mongoose';

/** How often each instance reads the epoch (one master `_id` read, whatever the tenant count). */
export const EPOCH_POLL_MS = 500;

const COLLECTION = 'tenant_routing_epoch';
const ID = 'epoch';

/**
 * A deployment-wide counter in the master database that moves with every routing change (a move's
 * fence, switch and roll-back; TenantRouting.announce bumps it before anyone waits on the change).
 *
 * Why: a cached route used to be trusted for ROUTE_TTL_MS only, so at 1,000 tenants every
 * instance re-read every active tenant's route every 2 s (500 master reads/s; 5,000 at 10,000
 * tenants). With the epoch an instance re-reads one document every EPOCH_POLL_MS instead: while
 * the counter has not moved, no route loaded under it has changed, and such a route stays trusted
 * for ROUTE_TTL_MS after the last poll that said so. The bound a move relies on (no instance uses
 * a route older than ROUTE_TTL_MS past the change) holds: a change bumps the counter before the
 * mover waits, and a poll sent after the bump drops every route's confirmation. If polls fail
 * (master down), confirmations lapse and routes fall back to their own ROUTE_TTL_MS. Kept in the
 * master database, not Redis: the routes' own source, and optional Redis must not weaken a fence.
 */
export class RoutingEpoch {
  private known: number | undefined;
  /** Changes this instance has seen (the first read counts as one): a route loaded under another is unconfirmed. */
  private seqValue = 0;
  /** When the last poll that found the counter unchanged was sent (its answer holds from then). */
  private confirmedAtValue = Number.NEGATIVE_INFINITY;

  constructor(private readonly master: () => Connection) {}

  get seq(): number {
    return this.seqValue;
  }

  /** Whether a route loaded under `seq` is still known current (within `ttlMs` of the last poll). */
  confirms(seq: number, ttlMs: number, now = Date.now()): boolean {
    return seq === this.seqValue && now - this.confirmedAtValue < ttlMs;
  }

  /** One poll; polls are sequential (the caller awaits each before the next). */
  async poll(): Promise<void> {
    const sentAt = Date.now();
    const doc = await this.master().collection<{ _id: string; n: number }>(COLLECTION).findOne({ _id: ID });
    const n = doc?.n ?? 0;
    if (n !== this.known) {
      this.known = n;
      this.seqValue++;
    }
    this.confirmedAtValue = sentAt;
  }

  /** A route changed in the master database: move the counter (awaited before a mover waits). */
  async bump(): Promise<void> {
    await this.master()
      .collection<{ _id: string; n: number }>(COLLECTION)
      .updateOne({ _id: ID }, { $inc: { n: 1 } }, { upsert: true });
  }
}
