import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';
import { TENANT_ROLES, type TenantRole } from '../../common/auth/principal';

/**
 * Master database: one document per live tenant API key. The key is looked up on every request
 * that sends one, before any tenant is known, so the record lives in the master database and its
 * `_id` is the key's SHA-256 (a point lookup on FerretDB too, where only `_id` lookups are cheap).
 * Revoking a key deletes its record (a hash never comes back, so no tombstone is needed).
 */
@Schema({ collection: 'api_keys', versionKey: false })
export class ApiKey {
  /** SHA-256 (hex) of the whole key. Never leaves the service. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** The public id (`id` in responses, `{key_id}` in paths). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  key_id!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  tenant_id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, required: true, enum: TENANT_ROLES })
  role!: TenantRole;

  @Prop({ type: String, required: true })
  prefix!: string;

  /** The tenant_admin who created it (kept for accountability; the key outlives that account). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  created_by!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  created_at!: Date;

  @Prop({ type: Date, default: null })
  expires_at!: Date | null;

  /** Written at most once a minute per key and instance (ApiKeyUsage). */
  @Prop({ type: Date, default: null })
  last_used_at!: Date | null;
}

export const ApiKeySchema = SchemaFactory.createForClass(ApiKey);
// GET /api-keys pages a tenant's keys in creation order; deleting a tenant removes its keys.
ApiKeySchema.index({ tenant_id: 1, created_at: 1 });
// DELETE /api-keys/{key_id} finds the record by its public id (with the tenant in the filter).
ApiKeySchema.index({ key_id: 1 }, { unique: true });
