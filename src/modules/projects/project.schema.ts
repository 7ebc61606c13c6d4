import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, type Types } from 'mongoose';

/** Tenant database: the example module's collection. */
@Schema({ collection: 'projects', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } })
export class Project {
  declare _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: String, default: null })
  description!: string | null;

  /** User id of the creator (who may edit it, besides the tenant's admins). */
  @Prop({ type: SchemaTypes.ObjectId, required: true })
  created_by!: Types.ObjectId;

  declare created_at: Date;
  declare updated_at: Date;
}

export const ProjectSchema = SchemaFactory.createForClass(Project);
// GET /projects pages in creation order by sorting on `_id` (ObjectIds grow with creation): the
// default `_id` index backs `find().sort({ _id: 1 }).skip().limit()` on MongoDB; no other index.
