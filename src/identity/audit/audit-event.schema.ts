import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';
import type { AuditActor, AuditDetails, AuditOutcome, AuditTarget } from './audit.types';

/**
 * One audit event. The same schema serves each tenant's stream (tenant database) and the platform
 * stream (master database). `_id` IS the sequence number: the database's own uniqueness of `_id`
 * is what keeps concurrent writers from forking the chain (see AuditChain.append), and every
 * lookup the chain needs (its head, one event) is an `_id` point lookup, cheap on FerretDB too.
 * `minimize: false`: an empty `details` must read back as `{}`, or its hash would change.
 */
@Schema({ collection: 'audit_events', versionKey: false, minimize: false })
export class AuditEvent {
  @Prop({ type: Number, required: true })
  _id!: number;

  /** Equal to `_id`; kept as a field of its own because the hash covers it. */
  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: Date, required: true })
  at!: Date;

  @Prop({ type: SchemaTypes.Mixed, required: true })
  actor!: AuditActor;

  @Prop({ type: String, required: true })
  action!: string;

  @Prop({ type: SchemaTypes.Mixed, required: true })
  target!: AuditTarget;

  @Prop({ type: String, required: true })
  outcome!: AuditOutcome;

  @Prop({ type: String, default: null })
  ip!: string | null;

  @Prop({ type: String, default: null })
  request_id!: string | null;

  @Prop({ type: SchemaTypes.Mixed, default: {} })
  details!: AuditDetails;

  @Prop({ type: String, required: true })
  prev_hash!: string;

  @Prop({ type: String, required: true })
  hash!: string;
}

export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);
// GET /audit-events?action=...: newest first within one action (MongoDB; FerretDB filters in memory).
AuditEventSchema.index({ action: 1, _id: -1 });
// GET /audit-events?actor_id=...: one actor's events, newest first.
AuditEventSchema.index({ 'actor.id': 1, _id: -1 });

/**
 * The stream's marks, by `_id`: `head` (the last appended event's seq and hash: a hint that saves
 * a scan for the tip, never trusted for correctness) and `anchor` (seq and hash of the last pruned
 * event: where verification starts once older events were pruned).
 */
@Schema({ collection: 'audit_marks', versionKey: false })
export class AuditMark {
  @Prop({ type: String, required: true })
  _id!: 'head' | 'anchor';

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: String, required: true })
  hash!: string;
}

export const AuditMarkSchema = SchemaFactory.createForClass(AuditMark);
