import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Lease } from './lease.schema';

/** Far above a critical section (a count and one write, milliseconds): only a crash lets it lapse. */
export const LEASE_TTL_MS = 10_000;
/** A waiter gives up (503) only if a holder neither finished nor crashed long enough to be taken over. */
const WAIT_BUDGET_MS = LEASE_TTL_MS + 5_000;

/**
 * Per-key mutual exclusion across instances, without transactions and without relying on an
 * atomic conditional update (FerretDB 1.24 has no transactions and runs findOneAndUpdate,
 * updateOne and deleteOne as a read followed by a write by `_id`). The only atomic primitive
 * both FerretDB and MongoDB 7 give is a unique insert: of N concurrent inserts of one `_id`,
 * exactly one succeeds (the same trick as refresh-token rotation, session.schema.ts).
 *
 * - Acquire: insert `{ _id: key, owner: <random>, expires_at }`. A duplicate means held: wait.
 * - End a tenure (release, or takeover of an expired lease): first insert the marker
 *   `key#end:<owner>:1`. Only the one party whose marker insert succeeds may then delete the
 *   lease document of that owner, so two parties can never both delete-and-reinsert `key` (with a
 *   read-then-delete-by-_id on FerretDB, a second deleter could otherwise remove the next holder's
 *   fresh lease). The marker is removed after the lease document is gone; a late party that
 *   re-inserts it then finds no lease with that owner (owners are never reused) and deletes nothing.
 *
 * Caveat (any lease without fencing): a holder stalled beyond LEASE_TTL_MS loses exclusivity.
 * The TTL is chosen orders of magnitude above the critical sections it guards.
 */
@Injectable()
export class LeaseService {
  private readonly logger = new Logger(LeaseService.name);

  constructor(@InjectModel(Lease.name) private readonly model: Model<Lease>) {}

  async withLease<T>(key: string, work: () => Promise<T>): Promise<T> {
    const owner = await this.acquire(key);
    try {
      return await work();
    } finally {
      if (!(await this.endTenure(key, owner))) {
        this.logger.warn(`lease ${key} was taken over before its holder finished (held > ${LEASE_TTL_MS} ms)`);
      }
    }
  }

  /**
   * A long-held lease (a background worker, e.g. a tenant move) without waiting: the owner token,
   * or null when another live holder has it. An expired holder's tenure is ended first (once).
   * The holder keeps it with `renew` well within `ttlMs` and ends it with `release`.
   */
  async tryAcquire(key: string, ttlMs: number): Promise<string | null> {
    const owner = randomUUID();
    const lease = () => ({ _id: key, owner, expires_at: new Date(Date.now() + ttlMs) });
    if (await this.tryInsert(lease())) return owner;
    const held = await this.model.findById(key).lean<Lease>().exec();
    if (held && held.expires_at.getTime() > Date.now()) return null;
    if (held && !(await this.endTenure(key, held.owner))) return null;
    return (await this.tryInsert(lease())) ? owner : null;
  }

  /** Extends `owner`'s lease; false when it lapsed and was taken over (stop working then). */
  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: key, owner }, { $set: { expires_at: new Date(Date.now() + ttlMs) } })
      .exec();
    return res.matchedCount === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.endTenure(key, owner);
  }

  private async acquire(key: string): Promise<string> {
    const owner = randomUUID();
    const deadline = Date.now() + WAIT_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      if (await this.tryInsert({ _id: key, owner, expires_at: new Date(Date.now() + LEASE_TTL_MS) })) return owner;
      const held = await this.model.findById(key).lean<Lease>().exec();
      // A crashed holder: end its tenure (at most one party does), then race for the key again.
      if (held && held.expires_at.getTime() <= Date.now() && (await this.endTenure(key, held.owner))) continue;
      if (Date.now() > deadline) throw new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'Busy, try again');
      // Short jittered backoff: the holder needs milliseconds.
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 4), 80) + Math.random() * 10);
    }
  }

  /**
   * Ends `owner`'s tenure of `key`; false when another party is ending or has ended it. The marker
   * has levels so that a party that crashed between claiming level k and deleting the lease (its
   * marker expires) cannot block the key forever: level k+1 can then be claimed.
   */
  private async endTenure(key: string, owner: string): Promise<boolean> {
    const markers: string[] = [];
    for (let level = 1; ; level++) {
      const marker = `${key}#end:${owner}:${level}`;
      markers.push(marker);
      if (await this.tryInsert({ _id: marker, owner, expires_at: new Date(Date.now() + LEASE_TTL_MS) })) break;
      const other = await this.model.findById(marker).lean<Lease>().exec();
      if (!other || other.expires_at.getTime() > Date.now()) return false;
    }
    await this.model.deleteOne({ _id: key, owner }).exec();
    await this.model.deleteMany({ _id: { $in: markers } }).exec();
    return true;
  }

  private async tryInsert(doc: Lease): Promise<boolean> {
    try {
      await this.model.create(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}
