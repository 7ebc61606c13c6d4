import { Schema, type Types } from 'mongoose';

/**
 * Master database: the login index. One entry per account (a tenant member or a superadmin),
 * keyed by the same id as the user, so `POST /auth/login` finds every account of an email
 * without visiting tenant databases. The password hash stays with the user, not here.
 */
export interface Account {
  _id: Types.ObjectId;
  email: string;
  /** null for superadmins. */
  tenant_id: Types.ObjectId | null;
  created_at: Date;
}

export const AccountSchema = new Schema<Account>(
  {
    email: { type: String, required: true },
    tenant_id: { type: Schema.Types.ObjectId, default: null },
  },
  { collection: 'accounts', timestamps: { createdAt: 'created_at', updatedAt: false } },
);
// Login by email; unique per tenant (and once among superadmins, tenant_id null).
AccountSchema.index({ email: 1, tenant_id: 1 }, { unique: true });
// Tenant deletion removes the tenant's entries.
AccountSchema.index({ tenant_id: 1 });
