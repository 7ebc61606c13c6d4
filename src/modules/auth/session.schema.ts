import { Schema, type Types } from 'mongoose';

/**
 * Master database: one document per refresh token ever issued. A login starts a family; each
 * refresh marks its token `rotated` and adds the next one to the family. Presenting a rotated
 * token again revokes the whole family (reuse detection).
 */
export interface Session {
  _id: Types.ObjectId;
  family_id: Types.ObjectId;
  user_id: Types.ObjectId;
  tenant_id: Types.ObjectId | null;
  /** SHA-256 of the opaque token: the token itself is never stored. */
  token_hash: string;
  /**
   * What this token replaced: the parent token's hash, or `login:<own hash>` for the first of a
   * family. Unique, so only one rotation of a given token can ever be inserted: the atomic claim.
   */
  parent: string;
  status: 'active' | 'rotated' | 'revoked';
  expires_at: Date;
  created_at: Date;
}

export const SessionSchema = new Schema<Session>(
  {
    family_id: { type: Schema.Types.ObjectId, required: true },
    user_id: { type: Schema.Types.ObjectId, required: true },
    tenant_id: { type: Schema.Types.ObjectId, default: null },
    token_hash: { type: String, required: true },
    parent: { type: String, required: true },
    status: { type: String, enum: ['active', 'rotated', 'revoked'], required: true },
    expires_at: { type: Date, required: true },
  },
  { collection: 'sessions', timestamps: { createdAt: 'created_at', updatedAt: false } },
);
// Refresh and logout find a token by its hash.
SessionSchema.index({ token_hash: 1 }, { unique: true });
// Single use of a refresh token: a second rotation of the same parent is a duplicate key.
// (FerretDB workaround, portable to MongoDB: FerretDB 1.24 runs findOneAndUpdate/updateOne as a
// read then a write, so a conditional status flip is not atomic there; a unique insert is.)
SessionSchema.index({ parent: 1 }, { unique: true });
// Reuse detection and logout revoke a family.
SessionSchema.index({ family_id: 1 });
// logout-all / password change revoke a user's sessions.
SessionSchema.index({ user_id: 1 });
// Tenant deletion removes its sessions.
SessionSchema.index({ tenant_id: 1 });
// (No TTL index: FerretDB 1.24 has none. Expired sessions are refused by expires_at and purged
// by `npm run cli -- purge-sessions`.)
