import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const IDEMPOTENCY_STATES = ['running', 'done'] as const;

/**
 * Master database: the first response to a create request sent with an `Idempotency-Key`, kept
 * 24 h. `_id` is a hash of (tenant, principal, key), so claiming a key is a unique insert: atomic
 * on MongoDB and on FerretDB alike (FerretDB 1.24 runs findOneAndUpdate/updateOne as a read then a
 * write, see sessions/session.schema.ts), and every lookup is by `_id` (a point lookup on FerretDB).
 * The raw key is not stored: a database reader cannot replay it.
 */
@Schema({ collection: 'idempotency_keys', timestamps: { createdAt: 'created_at', updatedAt: false } })
export class IdempotencyRecord {
  /** sha256(scope, key), hex. */
  @Prop({ type: String, required: true })
  _id!: string;

  /** sha256 of method, path and canonical JSON body: the same key with another request is refused. */
  @Prop({ type: String, required: true })
  fingerprint!: string;

  @Prop({ type: String, enum: IDEMPOTENCY_STATES, required: true })
  state!: (typeof IDEMPOTENCY_STATES)[number];

  /** Random per claim: only the request that claimed the key completes or releases it. */
  @Prop({ type: String, required: true })
  claim!: string;

  /**
   * A `running` record older than this belongs to a request that died (process killed before it
   * stored its response): the next retry may take the key over.
   */
  @Prop({ type: Date, required: true })
  lease_until!: Date;

  @Prop({ type: Number, default: null })
  status!: number | null;

  /** The response body as sent (JSON text). */
  @Prop({ type: String, default: null })
  body!: string | null;

  @Prop({ type: Date, required: true })
  expires_at!: Date;

  declare created_at: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecord);
// `purge-idempotency-keys` deletes expired records. (No TTL index: FerretDB 1.24 has none; an
// expired record still found is treated as absent, see IdempotencyStore.claim.)
IdempotencyRecordSchema.index({ expires_at: 1 });
