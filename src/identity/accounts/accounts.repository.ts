import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { Account } from './account.schema';

/** Control-plane repository (master database): the email -> account index used by login. */
@Injectable()
export class AccountsRepository {
  constructor(@InjectModel(Account.name) private readonly model: Model<Account>) {}

  /** Throws a duplicate-key error (code 11000) when the email already has an account there. */
  async insert(id: Types.ObjectId, email: string, tenantId: Types.ObjectId | null): Promise<void> {
    await this.model.create({ _id: id, email, tenant_id: tenantId });
  }

  /** Bulk form of insert (bulk tenant provisioning). */
  async insertMany(rows: Array<{ id: Types.ObjectId; email: string; tenantId: Types.ObjectId }>): Promise<void> {
    await this.model.insertMany(
      rows.map((r) => ({ _id: r.id, email: r.email, tenant_id: r.tenantId })),
      { ordered: true },
    );
  }

  findByEmail(email: string): Promise<Account[]> {
    return this.model.find({ email }).limit(50).lean<Account[]>().exec();
  }

  async remove(id: Types.ObjectId | string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  /** Returns how many went (the erasure receipt counts them). */
  async removeTenant(tenantId: Types.ObjectId | string): Promise<number> {
    const res = await this.model.deleteMany({ tenant_id: tenantId }).exec();
    return res.deletedCount;
  }
}
