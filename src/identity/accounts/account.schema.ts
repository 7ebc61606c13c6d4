import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/**
 * Master database: the login index. One entry per account (a tenant member or a superadmin),
 * keyed by the same id as the user, so `POST /auth/login` finds every account of an email
 * without visiting tenant databases. The password hash stays with the user, not here.
 */
@Schema({ collection: 'accounts', timestamps: { createdAt: 'created_at', updatedAt: false } })
export class Account {
  declare _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  email!: string;

  /** null for superadmins. */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  tenant_id!: Types.ObjectId | null;

  declare created_at: Date;
}

export const AccountSchema = SchemaFactory.createForClass(Account);
// Login by email; unique per tenant (and once among superadmins, tenant_id null).
AccountSchema.index({ email: 1, tenant_id: 1 }, { unique: true });
// Tenant deletion removes the tenant's entries.
AccountSchema.index({ tenant_id: 1 });
