import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';
import { TENANT_ROLES, type TenantRole } from '../../common/auth/principal';

/** Tenant database: the tenant's members. */
@Schema({ collection: 'users', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class User {
  declare _id: Types.ObjectId;

  /** Lower-cased; unique within the tenant. */
  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, default: null })
  full_name!: string | null;

  @Prop({ type: String, required: true })
  password_hash!: string;

  @Prop({ type: String, enum: TENANT_ROLES, required: true })
  role!: TenantRole;

  @Prop({ type: Boolean, required: true, default: true })
  is_active!: boolean;

  /** Bumped by logout-all, password change, deactivation, role change: older access tokens die. */
  @Prop({ type: Number, required: true, default: 0 })
  token_version!: number;

  declare created_at: Date;
  declare updated_at: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
// Email is unique per tenant (409 USER_EXISTS); also serves login's lookup by email.
UserSchema.index({ email: 1 }, { unique: true });
// The last-admin rule counts active admins.
UserSchema.index({ role: 1, is_active: 1 });
// GET /users pages in creation order.
UserSchema.index({ created_at: 1 });
