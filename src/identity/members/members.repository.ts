import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import type { TenantRole } from '../../common/auth/principal';
import { isObjectId } from '../../common/ids';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { User, UserSchema } from './user.schema';

export type UserPatch = Partial<Pick<User, 'full_name' | 'role' | 'is_active' | 'password_hash' | 'email_verified'>>;

/** Queries on one tenant's `users` collection. Obtained only through MembersRepository. */
export class TenantUsers {
  constructor(private readonly model: Model<User>) {}

  findById(id: string): Promise<User | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<User>().exec();
  }

  async insert(
    user: Omit<User, 'created_at' | 'updated_at' | 'token_version' | 'email_verified'> & { email_verified?: boolean },
  ): Promise<User> {
    const doc = await this.model.create({ email_verified: false, ...user, token_version: 0 });
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
  ) {
    this.current = new TenantUsers(model);
  }

  inTenant(tenantId: string | Types.ObjectId): TenantUsers {
    return new TenantUsers(this.manager.model(String(tenantId), User.name, UserSchema));
  }
}
