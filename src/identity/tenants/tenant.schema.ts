import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';
import type { MoveStatus } from '../moves/tenant-move.schema';

/**
 * provisioning: being created, never served; active: served; suspended: refused (login 403,
 * tokens refused); deleting: being dropped, refused.
 */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'deleting'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

/** Master database: one document per tenant. */
@Schema({
  collection: 'tenants',
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
  minimize: false,
})
export class Tenant {
  declare _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true })
  domain!: string;

  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, enum: TENANT_STATUSES, required: true })
  status!: TenantStatus;

  @Prop({ type: String, required: true })
  db_name!: string;

  /** The MongoDB cluster holding the tenant's database: `default` until tenants are spread out. */
  @Prop({ type: String, required: true, default: 'default' })
  cluster!: string;

  /**
   * The write fence of a live move (TenantMover): while true, the tenant's writes answer 503
   * TENANT_MOVING on every instance (TenantRouting); persisted so that an instance booted
   * mid-move sees it too.
   */
  @Prop({ type: Boolean, default: false })
  moving!: boolean;

  /** The tenant's latest move (`tenant_moves`), shown in the tenant object. */
  @Prop({ type: SchemaTypes.Mixed, default: null })
  move!: { id: string; status: MoveStatus } | null;

  /** Set by each suspension: access tokens issued up to then are refused, also after reactivation. */
  @Prop({ type: Date, default: null })
  suspended_at!: Date | null;

  @Prop({ type: SchemaTypes.Mixed, default: {} })
  settings!: Record<string, unknown>;

  declare created_at: Date;
  declare updated_at: Date;
}

export const TenantSchema = SchemaFactory.createForClass(Tenant);
// Login by tenant domain and the uniqueness rule of POST /tenants (409 TENANT_EXISTS).
TenantSchema.index({ domain: 1 }, { unique: true });
// Placement of new tenants: the number of tenants per cluster (countDocuments by cluster).
TenantSchema.index({ cluster: 1 });
// GET /tenants?status=... pages: `find({status: {$in: [...]}}).sort({_id: 1}).skip().limit()` and
// its countDocuments (creation order is `_id` order).
TenantSchema.index({ status: 1, _id: 1 });
