import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { isObjectId } from '../../common/ids';
import { SessionRevocation } from './session-revocation.schema';

/** Control-plane repository (master database): ended sessions, by family id. */
@Injectable()
export class SessionRevocationsRepository {
  constructor(@InjectModel(SessionRevocation.name) private readonly model: Model<SessionRevocation>) {}

  /** Idempotent: a family already recorded keeps its first record. */
  async record(familyId: Types.ObjectId, expiresAt: Date): Promise<void> {
    try {
      await this.model.create({ _id: familyId, revoked_at: new Date(), expires_at: expiresAt });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async isRevoked(familyId: string): Promise<boolean> {
    if (!isObjectId(familyId)) return true;
    return (await this.model.exists({ _id: familyId }).exec()) !== null;
  }

  async purgeExpired(now: Date): Promise<number> {
    const res = await this.model.deleteMany({ expires_at: { $lt: now } }).exec();
    return res.deletedCount;
  }
}
