import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * Master database: one document per import in progress, written before the new tenant database
 * gets its first document and removed once the tenant is active (or everything was undone). One
 * left behind is an import that crashed: the import sweeper (or `cli purge-failed-imports`) drops
 * its database, accounts and `provisioning` record once `heartbeat_at` is stale. Few documents
 * (imports in flight): the sweep's scan on `heartbeat_at` needs no index.
 */
@Schema({ collection: 'tenant_imports', timestamps: { createdAt: 'started_at', updatedAt: false } })
export class TenantImport {
  /** The new tenant's id. */
  declare _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  db_name!: string;

  @Prop({ type: String, required: true })
  cluster!: string;

  /** Refreshed while the import runs; stale means the importing process is gone. */
  @Prop({ type: Date, required: true })
  heartbeat_at!: Date;

  declare started_at: Date;
}

export const TenantImportSchema = SchemaFactory.createForClass(TenantImport);
