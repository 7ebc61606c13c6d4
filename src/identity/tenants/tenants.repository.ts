import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { invalidateListPages, readListPage, scopedCache, type ScopedCache } from '../../infra/cache/list-pages';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { Tenant, type TenantStatus } from './tenant.schema';

/** The cached pages of GET /tenants (control-plane data: the platform scope). */
const LIST = 'tenants';

/**
 * Control-plane repository on the master database (the only kind without a tenant). Every write
 * invalidates the cached list pages (after the write: see readListPage).
 */
@Injectable()
export class TenantsRepository {
  private readonly cache: ScopedCache;

  constructor(
    @InjectModel(Tenant.name) private readonly model: Model<Tenant>,
    cache: PlatformCache,
  ) {
    this.cache = scopedCache(cache, { platform: true });
  }

  async insertProvisioning(
    data: Pick<Tenant, '_id' | 'name' | 'domain' | 'email' | 'db_name' | 'settings' | 'cluster'>,
  ): Promise<Tenant> {
    const doc = await this.model.create({ ...data, status: 'provisioning' });
    await this.changed();
    return doc.toObject();
  }

  /** Bulk form of insertProvisioning (one round trip per batch; a duplicate domain fails its batch). */
  async insertManyProvisioning(
    records: Array<Pick<Tenant, '_id' | 'name' | 'domain' | 'email' | 'db_name' | 'settings' | 'cluster'>>,
  ): Promise<void> {
    await this.model.insertMany(
      records.map((r) => ({ ...r, status: 'provisioning' })),
      { ordered: true },
    );
  }

  /** `provisioning` -> `active` for the given tenants. */
  async activateMany(ids: Types.ObjectId[]): Promise<number> {
    const res = await this.model.updateMany(
      { _id: { $in: ids }, status: 'provisioning' },
      { $set: { status: 'active' } },
    );
    return res.modifiedCount;
  }

  findById(id: string | Types.ObjectId): Promise<Tenant | null> {
    return this.model.findById(id).lean<Tenant>().exec();
  }

  findByDomain(domain: string): Promise<Tenant | null> {
    return this.model.findOne({ domain }).lean<Tenant>().exec();
  }

  /**
   * A page in `_id` order, which is creation order (the id is made when the tenant is created),
   * mapped by `map` (the cache holds the mapped, JSON-safe items). On MongoDB `{status: 1, _id: 1}`
   * backs the filter and the sort (a merge of the `$in` values); the page and the total are cached
   * because on FerretDB both load the whole collection.
   */
  page<R>(
    filter: { status?: TenantStatus },
    skip: number,
    limit: number,
    map: (tenant: Tenant) => R,
  ): Promise<{ items: R[]; total: number }> {
    // Half-made and half-deleted tenants are not listed.
    const served: TenantStatus[] = ['active', 'suspended'];
    const query = { status: filter.status ? { $in: [filter.status] } : { $in: served } };
    return readListPage(
      this.cache,
      LIST,
      filter.status ?? 'served',
      { skip, limit },
      {
        items: async () =>
          (await this.model.find(query).sort({ _id: 1 }).skip(skip).limit(limit).lean<Tenant[]>().exec()).map(map),
        total: () => this.model.countDocuments(query).exec(),
      },
    );
  }

  /** Conditional transition: only from one of `from`; returns the updated document or null. */
  async transition(id: string | Types.ObjectId, from: TenantStatus[], to: TenantStatus): Promise<Tenant | null> {
    const tenant = await this.model
      .findOneAndUpdate({ _id: id, status: { $in: from } }, { $set: { status: to } }, { returnDocument: 'after' })
      .lean<Tenant>()
      .exec();
    if (tenant) await this.changed();
    return tenant;
  }

  async update(
    id: string,
    set: Partial<Pick<Tenant, 'name' | 'email' | 'status' | 'settings' | 'suspended_at'>>,
  ): Promise<Tenant | null> {
    const tenant = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: ['active', 'suspended'] } },
        { $set: set },
        { returnDocument: 'after' },
      )
      .lean<Tenant>()
      .exec();
    if (tenant) await this.changed();
    return tenant;
  }

  /** Tenants whose database lives on `cluster` (any status: all of them hold a database there). */
  countOnCluster(cluster: string): Promise<number> {
    return this.model.countDocuments({ cluster }).exec();
  }

  /** The routing fields of a move; `where` makes it conditional (e.g. still on the source cluster). */
  async setRouting(
    id: string,
    where: Partial<Pick<Tenant, 'cluster' | 'moving'>>,
    set: Partial<Pick<Tenant, 'cluster' | 'moving' | 'move'>>,
  ): Promise<boolean> {
    const res = await this.model.updateOne({ _id: id, ...where }, { $set: set }).exec();
    if (res.matchedCount === 1) await this.changed();
    return res.matchedCount === 1;
  }

  async remove(id: string | Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
    await this.changed();
  }

  /** Tenants left `deleting` since before `before` (a deletion that could not finish): the sweep. */
  async stuckDeletions(before: Date): Promise<string[]> {
    const rows = await this.model
      .find({ status: 'deleting', updated_at: { $lt: before } }, { _id: 1 })
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return rows.map((row) => String(row._id));
  }

  /** Ids of the tenants being served (active or suspended): what `cli sync-indexes` walks. */
  async servedIds(): Promise<string[]> {
    const rows = await this.model
      .find({ status: { $in: ['active', 'suspended'] } }, { _id: 1 })
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return rows.map((row) => String(row._id));
  }

  private changed(): Promise<void> {
    return invalidateListPages(this.cache, LIST);
  }
}
