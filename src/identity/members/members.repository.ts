import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import type { TenantRole } from '../../common/auth/principal';
import { isObjectId } from '../../common/ids';
import { invalidateListPages, readListPage, scopedCache, type ScopedCache } from '../../infra/cache/list-pages';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { RequestContext } from '../../infra/request-context/request-context';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { User, UserSchema } from './user.schema';

export type UserPatch = Partial<Pick<User, 'full_name' | 'role' | 'is_active' | 'password_hash' | 'email_verified'>>;

/** The cached pages of GET /users, in the tenant's cache scope. */
const LIST = 'users';
/** A list page reads what its items show: the password hash and token version stay in the database. */
const LISTED = { password_hash: 0, token_version: 0 } as const;

/**
 * Queries on one tenant's `users` collection. Obtained only through MembersRepository. Every write
 * invalidates the tenant's cached list pages (after the write: see readListPage).
 */
export class TenantUsers {
  /**
   * `resolve`: the model of this tenant's `users` (async: its cluster may have to be looked up);
   * `cache`: the cache in this tenant's scope (the same tenant as `resolve`'s).
   */
  constructor(
    private readonly resolve: () => Model<User> | Promise<Model<User>>,
    private readonly cache: () => ScopedCache,
  ) {}

  findById(id: string): Promise<User | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.on((m) => m.findById(id).lean<User>().exec());
  }

  async insert(
    user: Omit<User, 'created_at' | 'updated_at' | 'token_version' | 'email_verified'> & { email_verified?: boolean },
  ): Promise<User> {
    const doc = await (await this.resolve()).create({ email_verified: false, ...user, token_version: 0 });
    await invalidateListPages(this.cache(), LIST);
    return doc.toObject();
  }

  /**
   * A page in `_id` order, which is creation order (ids are made at insert), mapped by `map` (the
   * cache holds the mapped, JSON-safe items). On MongoDB the sort walks the `_id` index; the page
   * and the total are cached because on FerretDB both load the whole collection.
   */
  async page<R>(skip: number, limit: number, map: (user: User) => R): Promise<{ items: R[]; total: number }> {
    const model = await this.resolve();
    return readListPage(
      this.cache(),
      LIST,
      'all',
      { skip, limit },
      {
        items: async () =>
          (await model.find({}, LISTED).sort({ _id: 1 }).skip(skip).limit(limit).lean<User[]>().exec()).map(map),
        total: () => model.countDocuments().exec(),
      },
    );
  }

  /** Applies `set`; bumps the token version when `bumpVersion` (revokes access tokens). */
  async update(id: string, set: UserPatch, bumpVersion: boolean): Promise<User | null> {
    if (!isObjectId(id)) return null;
    const update: Record<string, unknown> = { $set: set };
    if (bumpVersion) update.$inc = { token_version: 1 };
    const user = await this.on((m) =>
      m.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<User>().exec(),
    );
    if (user) await invalidateListPages(this.cache(), LIST);
    return user;
  }

  async remove(id: string): Promise<boolean> {
    if (!isObjectId(id)) return false;
    const res = await (await this.resolve()).deleteOne({ _id: id }).exec();
    if (res.deletedCount === 1) await invalidateListPages(this.cache(), LIST);
    return res.deletedCount === 1;
  }

  countActiveAdmins(): Promise<number> {
    return this.on((m) => m.countDocuments({ role: 'tenant_admin' satisfies TenantRole, is_active: true }).exec());
  }

  private async on<R>(query: (model: Model<User>) => Promise<R>): Promise<R> {
    return query(await this.resolve());
  }
}

/**
 * Tenants' members. `current` is the request's tenant (the kit's handle: the tenant comes from the
 * verified token). `inTenant(id)` exists for the identity flows that run before a tenant context
 * exists (login, token checks, refresh, provisioning); they pass an id taken from a verified token
 * or a master record. Feature modules cannot reach this id-taking form (lint: identity internals).
 */
@Injectable()
export class MembersRepository {
  readonly current: TenantUsers;

  constructor(
    @InjectTenantModel(User.name) model: TenantModel<User>,
    private readonly manager: TenantConnectionManager,
    private readonly cache: PlatformCache,
    context: RequestContext,
  ) {
    // The same tenant as the kit's model: the request context's (from the verified token).
    this.current = new TenantUsers(
      () => model,
      () => scopedCache(cache, { tenantId: context.requireTenantId() }),
    );
  }

  inTenant(tenantId: string | Types.ObjectId): TenantUsers {
    const id = String(tenantId);
    return new TenantUsers(
      () => this.manager.modelFor(id, User.name, UserSchema),
      () => scopedCache(this.cache, { tenantId: id }),
    );
  }
}
