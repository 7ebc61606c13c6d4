import { Schema, type Types } from 'mongoose';

/**
 * provisioning: being created, never served; active: served; suspended: refused (login 403,
 * tokens refused); deleting: being dropped, refused.
 */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'deleting'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface Tenant {
  _id: Types.ObjectId;
  name: string;
  domain: string;
  email: string;
  status: TenantStatus;
  db_name: string;
  /** The MongoDB cluster holding the tenant's database: `default` until tenants are spread out. */
  cluster: string;
  settings: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** Master database: one document per tenant. */
export const TenantSchema = new Schema<Tenant>(
  {
    name: { type: String, required: true },
    domain: { type: String, required: true },
    email: { type: String, required: true },
    status: { type: String, enum: TENANT_STATUSES, required: true },
    db_name: { type: String, required: true },
    cluster: { type: String, required: true, default: 'default' },
    settings: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'tenants', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' }, minimize: false },
);
// Login by tenant domain and the uniqueness rule of POST /tenants (409 TENANT_EXISTS).
TenantSchema.index({ domain: 1 }, { unique: true });
// GET /tenants?status=... pages.
TenantSchema.index({ status: 1, created_at: 1 });
