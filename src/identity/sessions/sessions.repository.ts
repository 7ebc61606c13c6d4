import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { isObjectId } from '../../common/ids';
import { Session } from './session.schema';

/** GET /auth/sessions shows at most this many (the newest): one account rarely has more. */
const MAX_LISTED = 100;

function owner(userId: string, tenantId: string | undefined): Record<string, unknown> {
  // tenant_id too, not only user_id: an account id is unique across tenants, but the session list
  // is a tenant boundary and says so.
  return { user_id: userId, tenant_id: tenantId ?? null };
}

/** Control-plane repository (master database): refresh-token sessions. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(Session.name) private readonly model: Model<Session>) {}

  /**
   * Inserts the successor of a token. Returns false when a successor already exists: the token
   * was rotated before (a replay, or a parallel refresh that lost the race).
   */
  async insertSuccessor(session: Omit<Session, 'created_at'>): Promise<boolean> {
    try {
      await this.model.create(session);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async markRotated(id: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: id, status: 'active' }, { $set: { status: 'rotated' } }).exec();
  }

  findByHash(tokenHash: string): Promise<Session | null> {
    return this.model.findOne({ token_hash: tokenHash }).lean<Session>().exec();
  }

  /**
   * The live tokens of an account (at most one per family, but a refresh that is midway may
   * briefly leave two: callers keep the newest). The owner is the filter: user and tenant.
   */
  listLive(userId: string, tenantId: string | undefined): Promise<Session[]> {
    return this.model
      .find({ ...owner(userId, tenantId), status: 'active', expires_at: { $gt: new Date() } })
      .sort({ created_at: -1 })
      .limit(MAX_LISTED)
      .lean<Session[]>()
      .exec();
  }

  /** A live token of that family, only if the family is the account's; null otherwise. */
  findLiveFamily(userId: string, tenantId: string | undefined, familyId: string): Promise<Session | null> {
    if (!isObjectId(familyId)) return Promise.resolve(null);
    return this.model
      .findOne({ family_id: familyId, ...owner(userId, tenantId), status: 'active', expires_at: { $gt: new Date() } })
      .lean<Session>()
      .exec();
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
