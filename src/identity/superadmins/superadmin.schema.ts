import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/** Master database: platform operators. They belong to no tenant. */
@Schema({ collection: 'superadmins', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class Superadmin {
  declare _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, default: null })
  full_name!: string | null;

  @Prop({ type: String, required: true })
  password_hash!: string;

  @Prop({ type: Boolean, required: true, default: true })
  is_active!: boolean;

  /** Bumped by logout-all and password change: older access tokens die. */
  @Prop({ type: Number, required: true, default: 0 })
  token_version!: number;

  declare created_at: Date;
  declare updated_at: Date;
}

export const SuperadminSchema = SchemaFactory.createForClass(Superadmin);
// One superadmin per email (login lookup).
SuperadminSchema.index({ email: 1 }, { unique: true });
