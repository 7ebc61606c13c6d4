import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { isObjectId } from '../../common/ids';
import { Superadmin } from './superadmin.schema';

const BOOTSTRAP_FLAG = 'superadmin_bootstrap';

/** Control-plane repository (master database): platform operators. */
@Injectable()
export class SuperadminsRepository {
  constructor(@InjectModel(Superadmin.name) private readonly model: Model<Superadmin>) {}

  findById(id: string | Types.ObjectId): Promise<Superadmin | null> {
    if (!isObjectId(String(id))) return Promise.resolve(null);
    return this.model.findById(id).lean<Superadmin>().exec();
  }

  /**
   * The register-time bootstrap is a one-shot: the first caller inserts this flag, every later
   * one hits the unique _id (two parallel bootstrap registrations cannot both win).
   */
  async claimBootstrap(): Promise<boolean> {
    try {
      await this.flags().insertOne({ _id: BOOTSTRAP_FLAG, created_at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async releaseBootstrap(): Promise<void> {
    await this.flags().deleteOne({ _id: BOOTSTRAP_FLAG });
  }

  private flags() {
    return this.model.db.collection<{ _id: string; created_at: Date }>('platform_flags');
  }

  async exists(): Promise<boolean> {
    return (await this.model.exists({})) !== null;
  }

  async insert(data: Pick<Superadmin, '_id' | 'email' | 'full_name' | 'password_hash'>): Promise<Superadmin> {
    const doc = await this.model.create({ ...data, is_active: true, token_version: 0 });
    return doc.toObject();
  }

  update(
    id: string,
    set: Partial<Pick<Superadmin, 'full_name' | 'password_hash'>>,
    bumpVersion: boolean,
  ): Promise<Superadmin | null> {
    const update: Record<string, unknown> = { $set: set };
    if (bumpVersion) update.$inc = { token_version: 1 };
    return this.model.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<Superadmin>().exec();
  }
}
