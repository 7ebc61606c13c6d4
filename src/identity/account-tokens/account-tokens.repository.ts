import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { AccountToken, type AccountTokenKind } from './account-token.schema';

/** Control-plane repository (master database): outstanding reset and verification tokens. */
@Injectable()
export class AccountTokensRepository {
  constructor(@InjectModel(AccountToken.name) private readonly model: Model<AccountToken>) {}

  async insert(token: Omit<AccountToken, 'created_at'>): Promise<void> {
    await this.model.create(token);
  }

  /** Every token of that kind of the account but `keep`: a newer link kills the older ones. */
  async removeOthers(accountId: Types.ObjectId, kind: AccountTokenKind, keep: string): Promise<void> {
    await this.model.deleteMany({ account_id: accountId, kind, _id: { $ne: keep } }).exec();
  }

  findByHash(hash: string): Promise<AccountToken | null> {
    return this.model.findById(hash).lean<AccountToken>().exec();
  }

  /**
   * The single-use step: of any number of concurrent consumers, exactly one sees `true`. A delete
   * by `_id` reports what it deleted (SQLite's row count on FerretDB 1.24, which runs
   * findOneAndDelete as a read then a write; the document's own atomicity on MongoDB).
   */
  async consume(hash: string): Promise<boolean> {
    const res = await this.model.deleteOne({ _id: hash }).exec();
    return res.deletedCount === 1;
  }

  async removeAccount(accountId: Types.ObjectId | string): Promise<void> {
    await this.model.deleteMany({ account_id: accountId }).exec();
  }

  async removeTenant(tenantId: Types.ObjectId | string): Promise<void> {
    await this.model.deleteMany({ tenant_id: tenantId }).exec();
  }

  async purgeExpired(now: Date): Promise<number> {
    const res = await this.model.deleteMany({ expires_at: { $lt: now } }).exec();
    return res.deletedCount;
  }
}
