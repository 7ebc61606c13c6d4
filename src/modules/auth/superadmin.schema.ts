import { Schema, type Types } from 'mongoose';

/** Master database: platform operators. They belong to no tenant. */
export interface Superadmin {
  _id: Types.ObjectId;
  email: string;
  full_name: string | null;
  password_hash: string;
  is_active: boolean;
  token_version: number;
  created_at: Date;
  updated_at: Date;
}

export const SuperadminSchema = new Schema<Superadmin>(
  {
    email: { type: String, required: true },
    full_name: { type: String, default: null },
    password_hash: { type: String, required: true },
    is_active: { type: Boolean, required: true, default: true },
    token_version: { type: Number, required: true, default: 0 },
  },
  { collection: 'superadmins', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } },
);
// One superadmin per email (login lookup).
SuperadminSchema.index({ email: 1 }, { unique: true });
