import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import { MongoConnectionService } from '../../infra/database/mongo-connection.service';
import { type Session, SessionSchema } from './session.schema';

export type RotateResult =
  { kind: 'rotated'; session: Session } | { kind: 'reused'; session: Session } | { kind: 'invalid' };

/** Control-plane repository (master database): refresh-token sessions. */
@Injectable()
export class SessionsRepository {
  readonly model: Model<Session>;

  constructor(mongo: MongoConnectionService) {
    this.model = mongo.connection.models.Session ?? mongo.connection.model<Session>('Session', SessionSchema);
  }

  async insert(session: Omit<Session, 'created_at'>): Promise<void> {
    await this.model.create(session);
  }

  /**
   * Single use, in one atomic operation: of N parallel refreshes with one token, exactly one
   * finds it `active` and flips it to `rotated`; the others see it rotated, which is reuse.
   */
  async claimForRotation(tokenHash: string, now: Date): Promise<RotateResult> {
    const claimed = await this.model
      .findOneAndUpdate(
        { token_hash: tokenHash, status: 'active', expires_at: { $gt: now } },
        { $set: { status: 'rotated' } },
        { returnDocument: 'before' },
      )
      .lean<Session>()
      .exec();
    if (claimed) return { kind: 'rotated', session: claimed };
    const existing = await this.model.findOne({ token_hash: tokenHash }).lean<Session>().exec();
    if (existing && existing.status === 'rotated') return { kind: 'reused', session: existing };
    return { kind: 'invalid' };
  }

  findByHash(tokenHash: string): Promise<Session | null> {
    return this.model.findOne({ token_hash: tokenHash }).lean<Session>().exec();
  }

  async revokeFamily(familyId: Types.ObjectId | string): Promise<void> {
    await this.model
      .updateMany({ family_id: familyId, status: { $ne: 'revoked' } }, { $set: { status: 'revoked' } })
      .exec();
  }

  /** Revokes every session of a user, except (optionally) one family: the caller's own. */
  async revokeUser(userId: Types.ObjectId | string, exceptFamily?: string): Promise<void> {
    const filter: Record<string, unknown> = { user_id: userId, status: { $ne: 'revoked' } };
    if (exceptFamily) filter.family_id = { $ne: exceptFamily };
    await this.model.updateMany(filter, { $set: { status: 'revoked' } }).exec();
  }

  async removeTenant(tenantId: Types.ObjectId | string): Promise<void> {
    await this.model.deleteMany({ tenant_id: tenantId }).exec();
  }

  /** Housekeeping for the CLI: expired and revoked sessions are dead weight. */
  async purgeExpired(now: Date): Promise<number> {
    const res = await this.model.deleteMany({ expires_at: { $lt: now } }).exec();
    return res.deletedCount;
  }
}
