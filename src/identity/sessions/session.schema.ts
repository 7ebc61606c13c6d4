import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

export const SESSION_STATUSES = ['active', 'rotated', 'revoked'] as const;

/**
 * Master database: one document per refresh token ever issued. A login starts a family; each
 * refresh marks its token `rotated` and adds the next one to the family. Presenting a rotated
 * token again revokes the whole family (reuse detection).
 */
@Schema({ collection: 'sessions', timestamps: { createdAt: 'created_at', updatedAt: false } })
export class Session {
  declare _id: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  family_id!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  user_id!: Types.ObjectId;

  @Prop({ type: SchemaTypes.ObjectId, default: null })
  tenant_id!: Types.ObjectId | null;

  /** SHA-256 of the opaque token: the token itself is never stored. */
  @Prop({ type: String, required: true })
  token_hash!: string;

  /**
   * What this token replaced: the parent token's hash, or `login:<own hash>` for the first of a
   * family. Unique, so only one rotation of a given token can ever be inserted: the atomic claim.
   */
  @Prop({ type: String, required: true })
  parent!: string;

  @Prop({ type: String, enum: SESSION_STATUSES, required: true })
  status!: (typeof SESSION_STATUSES)[number];

  @Prop({ type: Date, required: true })
  expires_at!: Date;

  /**
   * When the family began (its login), copied along each rotation so the newest token alone tells
   * a session's age (GET /auth/sessions). Absent on tokens issued before it existed: created_at.
   */
  @Prop({ type: Date })
  started_at?: Date;

  /** User-Agent of the login or refresh that issued this token (bounded, see ClientInfo). */
  @Prop({ type: String, default: null })
  user_agent?: string | null;

  /** Client address of that request (Fastify's request.ip: TRUST_PROXY decides X-Forwarded-For). */
  @Prop({ type: String, default: null })
  ip?: string | null;

  declare created_at: Date;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
// Refresh and logout find a token by its hash.
SessionSchema.index({ token_hash: 1 }, { unique: true });
// Single use of a refresh token: a second rotation of the same parent is a duplicate key.
// (FerretDB workaround, portable to MongoDB: FerretDB 1.24 runs findOneAndUpdate/updateOne as a
// read then a write, so a conditional status flip is not atomic there; a unique insert is.)
SessionSchema.index({ parent: 1 }, { unique: true });
// Reuse detection and logout revoke a family.
SessionSchema.index({ family_id: 1 });
// logout-all / password change revoke a user's sessions; GET /auth/sessions lists them.
SessionSchema.index({ user_id: 1 });
// Tenant deletion removes its sessions.
SessionSchema.index({ tenant_id: 1 });
// (No TTL index: FerretDB 1.24 has none. Expired sessions are refused by expires_at and purged
// by `npm run cli -- purge-sessions`.)
