import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { TENANT_ROLES, type TenantRole } from '../../common/auth/principal';
import { Person } from '../accounts/person.schema';

/** Tenant database: the tenant's members. */
@Schema({ collection: 'users', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class User extends Person {
  @Prop({ type: String, enum: TENANT_ROLES, required: true })
  role!: TenantRole;

  /**
   * Proven by a verification link (or a password reset link: same mailbox). Members created
   * before this field existed have none: read as false (`=== true` everywhere).
   */
  @Prop({ type: Boolean, default: false })
  email_verified!: boolean;
}

export const UserSchema = SchemaFactory.createForClass(User);
// Email is unique per tenant (409 USER_EXISTS); also serves login's lookup by email.
UserSchema.index({ email: 1 }, { unique: true });
// The last-admin rule counts active admins.
UserSchema.index({ role: 1, is_active: 1 });
// GET /users pages in creation order by sorting on `_id` (ObjectIds grow with creation): the
// default `_id` index backs `find().sort({ _id: 1 }).skip().limit()` on MongoDB; no other index.
