import { Schema, type Types } from 'mongoose';
import type { TenantRole } from '../../common/auth/principal';

export interface User {
  _id: Types.ObjectId;
  /** Lower-cased; unique within the tenant. */
  email: string;
  full_name: string | null;
  password_hash: string;
  role: TenantRole;
  is_active: boolean;
  /** Bumped by logout-all, password change, deactivation, role change: older access tokens die. */
  token_version: number;
  created_at: Date;
  updated_at: Date;
}

/** Tenant database: the tenant's members. */
export const UserSchema = new Schema<User>(
  {
    email: { type: String, required: true },
    full_name: { type: String, default: null },
    password_hash: { type: String, required: true },
    role: { type: String, enum: ['tenant_admin', 'user'], required: true },
    is_active: { type: Boolean, required: true, default: true },
    token_version: { type: Number, required: true, default: 0 },
  },
  { collection: 'users', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } },
);
// Email is unique per tenant (409 USER_EXISTS); also serves login's lookup by email.
UserSchema.index({ email: 1 }, { unique: true });
// The last-admin rule counts active admins.
UserSchema.index({ role: 1, is_active: 1 });
// GET /users pages in creation order.
UserSchema.index({ created_at: 1 });
