import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

export const ACCOUNT_TOKEN_KINDS = ['password_reset', 'email_verification'] as const;
export type AccountTokenKind = (typeof ACCOUNT_TOKEN_KINDS)[number];

/**
 * Master database: one document per outstanding mailed token (a reset or verification link).
 * Keyed by the SHA-256 of the token, so the public routes that receive one find the account
 * (and its tenant) with a point lookup by `_id`, with no tenant in context (STACK.md: the only
 * cheap lookup on FerretDB). The token itself is never stored. Consumed by deleting it.
 */
@Schema({ collection: 'account_tokens', versionKey: false, timestamps: { createdAt: 'created_at', updatedAt: false } })
export class AccountToken {
  /** SHA-256 (hex) of the token. */
  @Prop({ type: String })
  _id!: string;

  @Prop({ type: String, enum: ACCOUNT_TOKEN_KINDS, required: true })
  kind!: AccountTokenKind;

  /** The account (user or superadmin) id. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  account_id!: Types.ObjectId;

  /** null for a superadmin. */
  @Prop({ type: SchemaTypes.ObjectId, default: null })
  tenant_id!: Types.ObjectId | null;

  @Prop({ type: Date, required: true })
  expires_at!: Date;

  declare created_at: Date;
}

export const AccountTokenSchema = SchemaFactory.createForClass(AccountToken);
// Issuing a token deletes the account's older ones of the same kind (rare: rate limited mails).
AccountTokenSchema.index({ account_id: 1, kind: 1 });
// Tenant deletion removes its tokens.
AccountTokenSchema.index({ tenant_id: 1 });
// (No TTL index: FerretDB 1.24 has none. Expired tokens are refused by expires_at and removed by
// `npm run cli -- purge-sessions`, which purges them with the sessions.)
