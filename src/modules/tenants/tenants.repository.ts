import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import { MongoConnectionService } from '../../infra/database/mongo-connection.service';
import { type Tenant, TenantSchema, type TenantStatus } from './tenant.schema';

export type TenantRecord = Tenant;

/** Control-plane repository on the master database (the only kind without a tenant). */
@Injectable()
export class TenantsRepository {
  readonly model: Model<Tenant>;

  constructor(mongo: MongoConnectionService) {
    this.model = mongo.connection.models.Tenant ?? mongo.connection.model<Tenant>('Tenant', TenantSchema);
  }

  async insertProvisioning(
    data: Pick<Tenant, '_id' | 'name' | 'domain' | 'email' | 'db_name' | 'settings'>,
  ): Promise<Tenant> {
    const doc = await this.model.create({ ...data, status: 'provisioning', cluster: 'default' });
    return doc.toObject();
  }

  findById(id: string | Types.ObjectId): Promise<Tenant | null> {
    return this.model.findById(id).lean<Tenant>().exec();
  }

  findByDomain(domain: string): Promise<Tenant | null> {
    return this.model.findOne({ domain }).lean<Tenant>().exec();
  }

  async page(
    filter: { status?: TenantStatus },
    skip: number,
    limit: number,
  ): Promise<{ items: Tenant[]; total: number }> {
    // Half-made and half-deleted tenants are not listed.
    const served: TenantStatus[] = ['active', 'suspended'];
    const query = { status: filter.status ? { $in: [filter.status] } : { $in: served } };
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ created_at: 1, _id: 1 }).skip(skip).limit(limit).lean<Tenant[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  /** Conditional transition: only from one of `from`; returns the updated document or null. */
  transition(id: string | Types.ObjectId, from: TenantStatus[], to: TenantStatus): Promise<Tenant | null> {
    return this.model
      .findOneAndUpdate({ _id: id, status: { $in: from } }, { $set: { status: to } }, { returnDocument: 'after' })
      .lean<Tenant>()
      .exec();
  }

  update(id: string, set: Partial<Pick<Tenant, 'name' | 'email' | 'status' | 'settings'>>): Promise<Tenant | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: ['active', 'suspended'] } },
        { $set: set },
        { returnDocument: 'after' },
      )
      .lean<Tenant>()
      .exec();
  }

  async remove(id: string | Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  /** Tenants stuck in `provisioning` since before `olderThan` (a crash mid-creation). */
  findStaleProvisioning(olderThan: Date): Promise<Tenant[]> {
    return this.model
      .find({ status: 'provisioning', created_at: { $lt: olderThan } })
      .lean<Tenant[]>()
      .exec();
  }
}
