import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { MailClaim, OutboxEntry, type OutboxStatus } from './outbox-entry.schema';

export type NewOutboxEntry = Pick<OutboxEntry, 'to' | 'template' | 'data' | 'tenant_id' | 'confirm'>;

/** Terminal states drop `data` (links with one-time tokens) and the claim bookkeeping. */
const TERMINAL_UNSET = { data: 1, claimed_by: 1, lease_until: 1 } as const;

/** The master outbox collection: inserts, the sender's claim and its outcome writes. */
@Injectable()
export class OutboxRepository {
  constructor(
    @InjectModel(OutboxEntry.name) private readonly model: Model<OutboxEntry>,
    @InjectModel(MailClaim.name) private readonly claims: Model<MailClaim>,
  ) {}

  static idFor(dedupeKey: string | undefined, random: string): string {
    return dedupeKey === undefined ? random : `dk:${createHash('sha256').update(dedupeKey).digest('hex')}`;
  }

  /** Inserts a pending mail due now; false when a mail with that id (dedupe key) already exists. */
  async insert(id: string, entry: NewOutboxEntry, now: Date): Promise<boolean> {
    try {
      await this.model.create({
        _id: id,
        ...entry,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        claim_seq: 0,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * The claim: one conditional update takes a mail that is pending and due, or whose sender's
   * lease ran out, and marks it `sending` for `owner` until `leaseUntil`. On MongoDB this is
   * atomic: of two senders, one gets the document, the other gets the next one or null.
   */
  claimNext(owner: string, now: Date, leaseUntil: Date): Promise<OutboxEntry | null> {
    return this.model
      .findOneAndUpdate(
        {
          $or: [
            { status: 'pending', next_attempt_at: { $lte: now } },
            { status: 'sending', lease_until: { $lte: now } },
          ],
        },
        { $set: { status: 'sending', claimed_by: owner, lease_until: leaseUntil }, $inc: { claim_seq: 1 } },
        { sort: { next_attempt_at: 1 }, returnDocument: 'after' },
      )
      .lean<OutboxEntry>()
      .exec();
  }

  /** The claim's commit point (see MailClaim): true for exactly one claimer of (mail, claim_seq). */
  async fence(entry: OutboxEntry, owner: string, now: Date): Promise<boolean> {
    try {
      await this.claims.create({ _id: `${entry._id}#${entry.claim_seq}`, owner, at: now });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Back to pending (a retry, or a not yet confirmed action), if still ours (same claim). */
  async release(
    entry: OutboxEntry,
    set: { attempts: number; next_attempt_at: Date; last_error: string | null },
  ): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: entry._id, claim_seq: entry.claim_seq },
        { $set: { status: 'pending', ...set, claimed_by: null, lease_until: null } },
      )
      .exec();
    return res.matchedCount === 1;
  }

  /** sent, dead or cancelled, if still ours; drops the data and the claim fences. */
  async finish(
    entry: OutboxEntry,
    status: Extract<OutboxStatus, 'sent' | 'dead' | 'cancelled'>,
    set: { attempts?: number; last_error?: string | null; sent_at?: Date },
  ): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: entry._id, claim_seq: entry.claim_seq }, { $set: { status, ...set }, $unset: TERMINAL_UNSET })
      .exec();
    const fences = Array.from({ length: entry.claim_seq }, (_v, i) => `${entry._id}#${i + 1}`);
    await this.claims.deleteMany({ _id: { $in: fences } }).exec();
    return res.matchedCount === 1;
  }

  /** Depth by status, for readiness and /metrics (counts scan on FerretDB: called every few seconds, not per request). */
  async depth(): Promise<{ pending: number; sending: number; dead: number }> {
    const [pending, sending, dead] = await Promise.all(
      (['pending', 'sending', 'dead'] as const).map((status) => this.model.countDocuments({ status }).exec()),
    );
    return { pending: pending ?? 0, sending: sending ?? 0, dead: dead ?? 0 };
  }

  /** `cli mail-dead`: the most recently failed first. */
  listDead(limit: number): Promise<OutboxEntry[]> {
    return this.model.find({ status: 'dead' }).sort({ updated_at: -1 }).limit(limit).lean<OutboxEntry[]>().exec();
  }

  findById(id: string): Promise<OutboxEntry | null> {
    return this.model.findById(id).lean<OutboxEntry>().exec();
  }
}
