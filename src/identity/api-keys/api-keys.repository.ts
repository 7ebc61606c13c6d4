import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { isObjectId, toObjectId } from '../../common/ids';
import { ApiKey } from './api-key.schema';

/**
 * Control-plane repository (master database): tenant API keys. Every query but the lookup by hash
 * names the tenant, which the service takes from the request context (the caller's own tenant).
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKey.name) private readonly model: Model<ApiKey>) {}

  async insert(record: ApiKey): Promise<ApiKey> {
    const doc = await this.model.create(record);
    return doc.toObject<ApiKey>();
  }

  /** The hot path: by `_id` only (see the schema). */
  findByHash(hash: string): Promise<ApiKey | null> {
    return this.model.findById(hash).lean<ApiKey>().exec();
  }

  async page(tenantId: string, skip: number, limit: number): Promise<{ items: ApiKey[]; total: number }> {
    const filter = { tenant_id: toObjectId(tenantId) };
    const [items, total] = await Promise.all([
      this.model.find(filter).sort({ created_at: 1, _id: 1 }).skip(skip).limit(limit).lean<ApiKey[]>().exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /** Deletes the tenant's key with this id; returns its hash (to drop from the cache), or null. */
  async remove(tenantId: string, keyId: string): Promise<string | null> {
    if (!isObjectId(keyId)) return null;
    const filter = { key_id: toObjectId(keyId), tenant_id: toObjectId(tenantId) };
    // Read the hash, then delete under the same filter: the hash is needed for the cache, and
    // FerretDB sends no projection on findOneAndDelete (STACK.md), so not in one call.
    const found = await this.model.findOne(filter, { _id: 1 }).lean<{ _id: string }>().exec();
    if (!found) return null;
    const res = await this.model.deleteOne({ _id: found._id, ...filter }).exec();
    return res.deletedCount === 1 ? found._id : null;
  }

  /** Every key of a tenant (its deletion); returns the hashes removed. */
  async removeTenant(tenantId: Types.ObjectId | string): Promise<string[]> {
    const filter = { tenant_id: typeof tenantId === 'string' ? toObjectId(tenantId) : tenantId };
    const found = await this.model.find(filter, { _id: 1 }).lean<{ _id: string }[]>().exec();
    if (found.length) await this.model.deleteMany(filter).exec();
    return found.map((d) => d._id);
  }

  async touch(hash: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: hash }, { $set: { last_used_at: at } }).exec();
  }
}
