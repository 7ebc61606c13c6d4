import { Prop } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * The fields every person who logs in has, a tenant's member or a superadmin (each kept in its own
 * collection and database): email, name, password hash, whether they may log in, and the token
 * version whose bump (logout-all, password or role change, deactivation) kills older access tokens.
 */
export abstract class Person {
  declare _id: Types.ObjectId;

  /** Lower-cased; unique where the person lives (a tenant, or among superadmins). */
  @Prop({ type: String, required: true })
  email!: string;

  @Prop({ type: String, default: null })
  full_name!: string | null;

  @Prop({ type: String, required: true })
  password_hash!: string;

  @Prop({ type: Boolean, required: true, default: true })
  is_active!: boolean;

  @Prop({ type: Number, required: true, default: 0 })
  token_version!: number;

  declare created_at: Date;
  declare updated_at: Date;
}
