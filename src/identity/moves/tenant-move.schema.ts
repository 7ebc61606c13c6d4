import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

export const MOVE_STATUSES = ['copying', 'verifying', 'switching', 'done', 'failed'] as const;
export type MoveStatus = (typeof MOVE_STATUSES)[number];
/** A move in one of these still has work to do (a worker holds it, or the resumer will). */
export const ACTIVE_MOVE_STATUSES: MoveStatus[] = ['copying', 'verifying', 'switching'];

/**
 * Master database: the latest move of each tenant, `_id` = the tenant's id, so "one move per
 * tenant at a time" is the unique `_id` (FerretDB 1.24 has no partial unique index). A new move
 * replaces a finished one; the tenant record keeps `{ id, status }` of the latest.
 */
@Schema({ collection: 'tenant_moves', versionKey: false })
export class TenantMove {
  declare _id: Types.ObjectId;

  /** This move's own id (the tenant id is `_id`). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  move_id!: Types.ObjectId;

  @Prop({ type: String, required: true })
  from!: string;

  @Prop({ type: String, required: true })
  to!: string;

  @Prop({ type: String, enum: MOVE_STATUSES, required: true })
  status!: MoveStatus;

  /** Documents copied so far (first pass, then catch-up). */
  @Prop({ type: Number, default: 0 })
  copied!: number;

  /** Documents in the source database when the copy started. */
  @Prop({ type: Number, default: 0 })
  total!: number;

  /** Why it failed (operator-facing, no driver text with hosts or credentials). */
  @Prop({ type: String, default: null })
  error!: string | null;

  @Prop({ type: Date, required: true })
  started_at!: Date;

  @Prop({ type: Date, default: null })
  finished_at!: Date | null;
}

export const TenantMoveSchema = SchemaFactory.createForClass(TenantMove);
// The resumer's periodic scan for unfinished moves (a handful of documents at most).
TenantMoveSchema.index({ status: 1 });
