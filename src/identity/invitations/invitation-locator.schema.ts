import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/**
 * Master database: where an invitation lives. The public accept route has no tenant in context;
 * the token is `<invitation id>.<secret>`, and this `_id` lookup (a point lookup, also on
 * FerretDB) gives the tenant. Holds no email or name: the token reveals nothing of the tenant,
 * and the entry nothing of the invitee. Only accept reads it; every tenant route uses the
 * request's tenant (never this), so an invitation id of tenant A means nothing to tenant B.
 */
@Schema({ collection: 'invitation_locators', versionKey: false })
export class InvitationLocator {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: SchemaTypes.ObjectId, required: true })
  tenant_id!: Types.ObjectId;

  /** Lets a purge remove entries of long-expired invitations without visiting tenants. */
  @Prop({ type: Date, required: true })
  expires_at!: Date;
}

export const InvitationLocatorSchema = SchemaFactory.createForClass(InvitationLocator);
// Tenant deletion removes the tenant's entries.
InvitationLocatorSchema.index({ tenant_id: 1 });
