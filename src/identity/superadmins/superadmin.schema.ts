import { Schema, SchemaFactory } from '@nestjs/mongoose';
import { Person } from '../accounts/person.schema';

/** Master database: platform operators. They belong to no tenant. */
@Schema({ collection: 'superadmins', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class Superadmin extends Person {}

export const SuperadminSchema = SchemaFactory.createForClass(Superadmin);
// One superadmin per email (login lookup).
SuperadminSchema.index({ email: 1 }, { unique: true });
