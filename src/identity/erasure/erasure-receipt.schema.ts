import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/**
 * Master database: the signed record of one tenant's erasure, keyed by the tenant id (one per
 * tenant, looked up by `_id` only: no index beyond it). Kept after the tenant is gone; it holds no
 * personal data (counts, names of dropped databases, timestamps, the tenant's domain).
 */
@Schema({ collection: 'erasure_receipts', timestamps: { createdAt: 'created_at', updatedAt: false } })
export class ErasureReceipt {
  declare _id: Types.ObjectId;

  /** What the signature covers (ErasureReceiptBody), stored as plain JSON values. */
  @Prop({ type: SchemaTypes.Mixed, required: true })
  body!: Record<string, unknown>;

  /** Hex HMAC-SHA256 over canonicalJson(body) with ERASURE_RECEIPT_KEY. */
  @Prop({ type: String, required: true })
  signature!: string;

  @Prop({ type: String, required: true })
  key_id!: string;

  declare created_at: Date;
}

export const ErasureReceiptSchema = SchemaFactory.createForClass(ErasureReceipt);
