import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { SYSTEM_ACTOR } from './audit-actor';
import type { AuditEvent, AuditMark } from './audit-event.schema';
import { GENESIS_HASH, hashEvent } from './audit-hash';
import type { AuditEventFields } from './audit.types';

/** A writer that lost this many races in a row gives up (the caller's failure policy applies). */
const MAX_APPEND_ATTEMPTS = 200;

export interface ChainLink {
  seq: number;
  hash: string;
}

export interface VerifyResult {
  valid: boolean;
  /** Events checked (those after the anchor). */
  events: number;
  first_invalid_id: string | null;
  /** Last verified link: an operator may keep it elsewhere to detect a rewrite of the whole tail. */
  head: ChainLink | null;
}

/**
 * One hash-chained stream: a tenant's (its database) or the platform's (master database).
 *
 * Append without transactions (FerretDB 1.24 has none): the event's `_id` is its seq. A writer
 * reads the tip (the `head` mark, a point lookup), computes seq = tip + 1 and prev_hash = tip's
 * hash, and inserts. Two writers that read the same tip insert the same `_id`: the database lets
 * exactly one succeed, the other gets a duplicate key (11000), re-reads the tip (the head mark, or
 * the winner's event by `_id`) and retries on top of it. So no two events ever share a seq, and
 * every event's prev_hash is the hash of the event stored at seq - 1: the chain cannot fork.
 * The head mark is only a hint, advanced after each insert by a conditional update that never
 * moves it back on MongoDB; on FerretDB (an update is a read then a write) it may lag or step
 * back, which costs a retry, never correctness: the truth is the set of `_id`s.
 */
export class AuditChain {
  constructor(
    private readonly events: Model<AuditEvent>,
    private readonly marks: Model<AuditMark>,
  ) {}

  async append(fields: Omit<AuditEventFields, 'seq' | 'prev_hash'>): Promise<AuditEvent> {
    let tip = await this.tip();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const seq = tip.seq + 1;
      const body: AuditEventFields = { ...fields, seq, prev_hash: tip.hash };
      const event: AuditEvent = { _id: seq, ...body, hash: hashEvent(body) };
      try {
        await this.events.create(event);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        tip = await this.tipAtLeast(seq);
        continue;
      }
      await this.advanceHead({ seq, hash: event.hash });
      return event;
    }
    throw new Error(`audit chain: no free seq after ${MAX_APPEND_ATTEMPTS} attempts`);
  }

  /** Walks the whole stream in seq order from the anchor; stops at the first broken link. */
  async verify(): Promise<VerifyResult> {
    const [anchor, head] = await Promise.all([this.mark('anchor'), this.mark('head')]);
    let expected = anchor ? anchor.seq + 1 : 1;
    let prev = anchor ? anchor.hash : GENESIS_HASH;
    let last: ChainLink | null = anchor;
    let checked = 0;
    let anchorWitnessed = !anchor;
    const invalid = (id: unknown) => ({ valid: false, events: checked, first_invalid_id: String(id), head: last });
    // Sorted by `_id`: numbers (the real events) in seq order; anything else a forger inserted
    // sorts elsewhere and fails the seq check wherever it comes.
    for await (const e of this.events.find().sort({ _id: 1 }).lean<AuditEvent>().cursor({ batchSize: 500 })) {
      // Already covered by the anchor (a prune that stopped between the anchor and the deletion).
      if (anchor && typeof e._id === 'number' && e._id <= anchor.seq) continue;
      checked++;
      if (e._id !== expected || e.seq !== expected || e.prev_hash !== prev || safeHash(e) !== e.hash)
        return invalid(e._id);
      if (anchor && isPruneOf(e, anchor)) anchorWitnessed = true;
      prev = e.hash;
      last = { seq: e.seq, hash: e.hash };
      expected++;
    }
    // The head mark is never ahead of a stored event: if it is, the tip was deleted.
    if (head && head.seq >= expected) return invalid(expected);
    // An anchor must be the one a recorded prune set (an `audit.pruned` event after it, in the
    // chain): otherwise moving the anchor forward would hide deleted events.
    if (!anchorWitnessed && anchor) return invalid(anchor.seq + 1);
    return { valid: true, events: checked, first_invalid_id: null, head: last };
  }

  /**
   * Prunes the oldest events, those of the unbroken run from the start that happened before
   * `before`. Crash-safe order: (1) an `audit.pruned` event records the cut in the chain, (2) the
   * anchor moves to the cut, (3) the events up to it are deleted. Verification skips events at or
   * below the anchor and requires the anchor to match a recorded prune.
   */
  async prune(before: Date, streamId: string): Promise<number> {
    const anchor = await this.mark('anchor');
    let cut: ChainLink | null = null;
    const from = anchor ? anchor.seq : 0;
    for await (const e of this.events
      .find({ _id: { $gt: from } })
      .sort({ _id: 1 })
      .lean<AuditEvent>()
      .cursor({ batchSize: 500 })) {
      if (e.at.getTime() >= before.getTime()) break;
      cut = { seq: e.seq, hash: e.hash };
    }
    if (!cut) return 0;
    await this.append({
      at: new Date(),
      actor: SYSTEM_ACTOR,
      action: 'audit.pruned',
      target: { type: 'audit_stream', id: streamId },
      outcome: 'success',
      ip: null,
      request_id: null,
      details: { through_seq: cut.seq, through_hash: cut.hash, before: before.toISOString() },
    });
    await this.marks.replaceOne({ _id: 'anchor' }, { seq: cut.seq, hash: cut.hash }, { upsert: true }).exec();
    const res = await this.events.deleteMany({ _id: { $lte: cut.seq } }).exec();
    return res.deletedCount;
  }

  /** Newest first, after the cursor `after` (a seq), with the filters of GET /audit-events. */
  page(filter: Record<string, unknown>, after: number | undefined, limit: number): Promise<AuditEvent[]> {
    const query = after === undefined ? filter : { ...filter, _id: { $lt: after } };
    return this.events.find(query).sort({ _id: -1 }).limit(limit).lean<AuditEvent[]>().exec();
  }

  /** Every event (the secrets scan of the tests, exports). */
  all(): Promise<AuditEvent[]> {
    return this.events.find().sort({ _id: 1 }).lean<AuditEvent[]>().exec();
  }

  /** The tip to build on: the head mark, else the newest event (a scan), else the anchor, else genesis. */
  private async tip(): Promise<ChainLink> {
    const head = await this.mark('head');
    if (head) return head;
    const newest = await this.events.findOne().sort({ _id: -1 }).lean<AuditEvent>().exec();
    if (newest) return { seq: newest.seq, hash: newest.hash };
    return (await this.mark('anchor')) ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** After losing seq `taken`: the head mark if it moved past it, else the event that won it. */
  private async tipAtLeast(taken: number): Promise<ChainLink> {
    const head = await this.mark('head');
    if (head && head.seq >= taken) return head;
    const winner = await this.events.findById(taken).lean<AuditEvent>().exec();
    if (!winner) throw new Error(`audit chain: seq ${taken} reported taken but not found`);
    return { seq: winner.seq, hash: winner.hash };
  }

  private async advanceHead(link: ChainLink): Promise<void> {
    try {
      await this.marks.updateOne({ _id: 'head', seq: { $lt: link.seq } }, { $set: link }, { upsert: true }).exec();
    } catch (err) {
      // The head is already further (the upsert met the existing `head`): nothing to do.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  private async mark(id: 'head' | 'anchor'): Promise<ChainLink | null> {
    const m = await this.marks.findById(id).lean<AuditMark>().exec();
    return m ? { seq: m.seq, hash: m.hash } : null;
  }
}

/** A document a forger left malformed cannot be hashed: it simply does not match. */
function safeHash(e: AuditEvent): string | null {
  try {
    return hashEvent(e);
  } catch {
    return null;
  }
}

function isPruneOf(e: AuditEvent, anchor: ChainLink): boolean {
  return e.action === 'audit.pruned' && e.details.through_seq === anchor.seq && e.details.through_hash === anchor.hash;
}
