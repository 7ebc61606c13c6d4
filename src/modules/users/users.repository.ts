import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import type { TenantRole } from '../../common/auth/principal';
import { isObjectId } from '../../common/ids';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { TenantConnectionProvider } from '../../infra/tenancy/tenant-connection.provider';
import { type User, UserSchema } from './user.schema';

export type UserPatch = Partial<Pick<User, 'full_name' | 'role' | 'is_active' | 'password_hash'>>;

/** Queries on one tenant's `users` collection. Obtained only through UsersRepository. */
export class TenantUsers {
  constructor(readonly model: Model<User>) {}

  findById(id: string): Promise<User | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<User>().exec();
  }

  findByEmail(email: string): Promise<User | null> {
    return this.model.findOne({ email }).lean<User>().exec();
  }

  async insert(user: Omit<User, 'created_at' | 'updated_at' | 'token_version'>): Promise<User> {
    const doc = await this.model.create({ ...user, token_version: 0 });
    return doc.toObject();
  }

  async page(skip: number, limit: number): Promise<{ items: User[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model.find().sort({ created_at: 1, _id: 1 }).skip(skip).limit(limit).lean<User[]>().exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }

  /** Applies `set`; bumps the token version when `bumpVersion` (revokes access tokens). */
  update(id: string, set: UserPatch, bumpVersion: boolean): Promise<User | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    const update: Record<string, unknown> = { $set: set };
    if (bumpVersion) update.$inc = { token_version: 1 };
    return this.model.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean<User>().exec();
  }

  async remove(id: string): Promise<boolean> {
    if (!isObjectId(id)) return false;
    const res = await this.model.deleteOne({ _id: id }).exec();
    return res.deletedCount === 1;
  }

  countActiveAdmins(): Promise<number> {
    return this.model.countDocuments({ role: 'tenant_admin' satisfies TenantRole, is_active: true }).exec();
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }
}

/**
 * Access to tenants' users. `current()` is the request's tenant (from the verified token); the
 * explicit `forTenant(id)` exists for the flows that run before a tenant context exists (login,
 * refresh, provisioning) and takes the id from a record already verified by the caller.
 */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly tenant: TenantConnectionProvider,
    private readonly manager: TenantConnectionManager,
  ) {}

  current(): TenantUsers {
    return new TenantUsers(this.tenant.model('User', UserSchema));
  }

  forTenant(tenantId: string | Types.ObjectId): TenantUsers {
    return new TenantUsers(this.manager.model(String(tenantId), 'User', UserSchema));
  }
}
