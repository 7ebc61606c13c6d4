import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';
import { TENANT_ROLES, type TenantRole } from '../../common/auth/principal';

/** Stored states; `expired` is not stored: it is a pending invitation past `expires_at`. */
export const STORED_INVITATION_STATUSES = ['pending', 'accepted', 'revoked'] as const;
export type StoredInvitationStatus = (typeof STORED_INVITATION_STATUSES)[number];

/**
 * Tenant database: invitations to join the tenant. The link's token is never stored, only its
 * SHA-256 (a database leak gives no usable link). Single use: accepting creates the member, whose
 * unique (email, tenant) login entry refuses a second accept.
 */
@Schema({ collection: 'invitations', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class Invitation {
  declare _id: Types.ObjectId;

  /** Normalized (lower case), as the login index stores emails. */
  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, enum: TENANT_ROLES, required: true })
  role!: TenantRole;

  @Prop({ type: String, default: null })
  full_name!: string | null;

  /** SHA-256 (hex) of the whole token. */
  @Prop({ type: String, required: true })
  token_hash!: string;

  @Prop({ type: String, enum: STORED_INVITATION_STATUSES, required: true })
  status!: StoredInvitationStatus;

  /** Id of the tenant_admin (or superadmin) who invited. */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  invited_by!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  expires_at!: Date;

  @Prop({ type: Date, default: null })
  ended_at!: Date | null;

  declare created_at: Date;
  declare updated_at: Date;
}

export const InvitationSchema = SchemaFactory.createForClass(Invitation);
// Re-inviting an email revokes its pending invitations.
InvitationSchema.index({ email: 1, status: 1 });
// GET /invitations pages in creation order (optionally by status).
InvitationSchema.index({ status: 1, created_at: 1 });
InvitationSchema.index({ created_at: 1 });
