import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { IdempotencyRecord } from './idempotency-record.schema';

/** How long a stored response answers retries (the IETF draft and Stripe use 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * How long a claim protects a request still running. Far above any create request (each database
 * operation is bounded by MONGO_OPERATION_TIMEOUT_MS); past it the claim is taken to be orphaned
 * by a crash and a retry may run the request again.
 */
export const IDEMPOTENCY_LEASE_MS = 60 * 1000;

export type ClaimOutcome =
  | { kind: 'claimed'; claim: string }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

/** The master collection of idempotency records (see IdempotencyRecord). */
@Injectable()
export class IdempotencyStore {
  constructor(@InjectModel(IdempotencyRecord.name) private readonly model: Model<IdempotencyRecord>) {}

  /**
   * Claims `id` for a request with `fingerprint` by inserting its record: only one insert of an
   * `_id` can succeed, whatever the concurrency. A loser reads the winner's record to tell a
   * replay, a request still running, and a different request under the same key apart.
   */
  async claim(id: string, fingerprint: string, now = new Date()): Promise<ClaimOutcome> {
    // Two rounds: an expired or orphaned record is deleted once, then the key is claimed afresh.
    for (let round = 0; round < 2; round++) {
      const claim = randomBytes(12).toString('hex');
      try {
        await this.model.create({
          _id: id,
          fingerprint,
          state: 'running',
          claim,
          lease_until: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
          expires_at: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS),
        });
        return { kind: 'claimed', claim };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await this.model.findById(id).lean().exec();
      if (!existing) continue; // released by a failed first request meanwhile
      const stale = existing.expires_at <= now || (existing.state === 'running' && existing.lease_until <= now);
      if (stale) {
        // Only that very claim: a fresh claim made meanwhile by another retry is kept.
        await this.model.deleteOne({ _id: id, claim: existing.claim }).exec();
        continue;
      }
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'running' || existing.status === null || existing.body === null) {
        return { kind: 'in-progress' };
      }
      return { kind: 'replay', status: existing.status, body: existing.body };
    }
    return { kind: 'in-progress' };
  }

  /** Stores the response of the request that holds `claim`. */
  async complete(id: string, claim: string, status: number, body: string): Promise<void> {
    await this.model.updateOne({ _id: id, claim }, { $set: { state: 'done', status, body } }).exec();
  }

  /** The request failed: free the key so that a retry runs it again (only successes are replayed). */
  async release(id: string, claim: string): Promise<void> {
    await this.model.deleteOne({ _id: id, claim, state: 'running' }).exec();
  }

  /** `npm run cli -- purge-idempotency-keys`. */
  async purgeExpired(now = new Date()): Promise<number> {
    const res = await this.model.deleteMany({ expires_at: { $lt: now } }).exec();
    return res.deletedCount;
  }
}
