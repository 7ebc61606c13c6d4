import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes } from 'mongoose';

/**
 * pending: waiting to be (re)tried at `next_attempt_at`; sending: claimed by one sender until
 * `lease_until`; sent; dead: gave up after MAIL_MAX_ATTEMPTS tries; cancelled: the action it
 * belonged to never happened (see MailOutbox.enqueue's `confirm`).
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Master database: the mail outbox, one collection for every tenant (one sender polls it). A
 * row holds what it takes to render the mail (template + data, links included) until it is
 * sent, dead or cancelled; then `data` is removed, so one-time tokens do not linger at rest.
 */
@Schema({
  collection: 'mail_outbox',
  versionKey: false,
  timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' },
})
export class OutboxEntry {
  /** `dk:<sha256(dedupeKey)>` when the caller gave a dedupe key (enqueue is then idempotent), else a random UUID. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  to!: string;

  @Prop({ type: String, required: true })
  template!: string;

  @Prop({ type: SchemaTypes.Mixed, default: undefined })
  data?: Record<string, string>;

  /** The tenant the mail is about (logs, confirmation); null for platform mails. Never a metric label. */
  @Prop({ type: String, default: null })
  tenant_id!: string | null;

  /** The action this mail belongs to, checked before sending (outbox-first writes; see MailOutbox). */
  @Prop({ type: SchemaTypes.Mixed, default: null })
  confirm!: { kind: string; id: string } | null;

  @Prop({ type: String, enum: OUTBOX_STATUSES, required: true })
  status!: OutboxStatus;

  /** Failed SMTP tries so far. */
  @Prop({ type: Number, default: 0 })
  attempts!: number;

  @Prop({ type: Date, required: true })
  next_attempt_at!: Date;

  /** Incremented by every claim: the claim fence (`mail_claims`) is keyed by it. */
  @Prop({ type: Number, default: 0 })
  claim_seq!: number;

  @Prop({ type: String, default: null })
  claimed_by!: string | null;

  @Prop({ type: Date, default: null })
  lease_until!: Date | null;

  /** The last failure, as SMTP or the network said it (no secret: never the message body). */
  @Prop({ type: String, default: null })
  last_error!: string | null;

  @Prop({ type: Date, default: null })
  sent_at!: Date | null;

  declare created_at: Date;
  declare updated_at: Date;
}

export const OutboxEntrySchema = SchemaFactory.createForClass(OutboxEntry);
// The sender's claim: pending mails that are due, oldest due first.
OutboxEntrySchema.index({ status: 1, next_attempt_at: 1 });
// Reclaiming mails whose sender died while holding them (lease expired).
OutboxEntrySchema.index({ status: 1, lease_until: 1 });

/**
 * Master database: one document per claim of a mail, `_id` = `<mail id>#<claim_seq>`. Inserting
 * it is the claim's commit point. FerretDB workaround: FerretDB 1.24 runs findOneAndUpdate as a
 * read then a write by `_id` (not atomic), so two senders could both "win" the conditional claim;
 * a unique insert is atomic on FerretDB and MongoDB alike, so exactly one of them inserts the
 * fence and sends. On MongoDB 7 the conditional update alone is atomic and the fence is redundant.
 */
@Schema({ collection: 'mail_claims', versionKey: false })
export class MailClaim {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  owner!: string;

  @Prop({ type: Date, required: true })
  at!: Date;
}

export const MailClaimSchema = SchemaFactory.createForClass(MailClaim);
