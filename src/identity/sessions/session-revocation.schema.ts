import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * Master database: one document per ended session (refresh-token family), keyed by the family id,
 * which access tokens carry as `sid`. Checked (through the cache) on every authenticated request,
 * so it is keyed by `_id`: a point lookup on FerretDB too. Kept until every access token of the
 * family has expired (`expires_at`); `npm run cli -- purge-sessions` removes older ones.
 */
@Schema({ collection: 'session_revocations', versionKey: false })
export class SessionRevocation {
  /** The family id (`sid`). */
  declare _id: Types.ObjectId;

  @Prop({ type: Date, required: true })
  revoked_at!: Date;

  @Prop({ type: Date, required: true })
  expires_at!: Date;
}

export const SessionRevocationSchema = SchemaFactory.createForClass(SessionRevocation);
