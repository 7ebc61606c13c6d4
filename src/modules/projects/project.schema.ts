import { Schema, type Types } from 'mongoose';

export interface Project {
  _id: Types.ObjectId;
  name: string;
  description: string | null;
  /** User id of the creator (who may edit it, besides the tenant's admins). */
  created_by: Types.ObjectId;
  created_at: Date;
  updated_at: Date;
}

/** Tenant database. */
export const ProjectSchema = new Schema<Project>(
  {
    name: { type: String, required: true },
    description: { type: String, default: null },
    created_by: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'projects', timestamps: { createdAt: 'created_at', updatedAt: 'updated_at' } },
);
// GET /projects pages in creation order.
ProjectSchema.index({ created_at: 1 });
