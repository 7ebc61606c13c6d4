import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { isObjectId, toObjectId } from '../../common/ids';
import { TenantConnectionProvider } from '../../infra/tenancy/tenant-connection.provider';
import { type Project, ProjectSchema } from './project.schema';

/** Tenant-scoped: every query runs on the request's tenant database, never another. */
@Injectable()
export class ProjectsRepository {
  constructor(private readonly tenant: TenantConnectionProvider) {}

  private get model(): Model<Project> {
    return this.tenant.model('Project', ProjectSchema);
  }

  async insert(data: { name: string; description: string | null; createdBy: string }): Promise<Project> {
    const doc = await this.model.create({
      name: data.name,
      description: data.description,
      created_by: toObjectId(data.createdBy),
    });
    return doc.toObject();
  }

  findById(id: string): Promise<Project | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<Project>().exec();
  }

  async page(skip: number, limit: number): Promise<{ items: Project[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model.find().sort({ created_at: 1, _id: 1 }).skip(skip).limit(limit).lean<Project[]>().exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }

  update(id: string, set: Partial<Pick<Project, 'name' | 'description'>>): Promise<Project | null> {
    return this.model.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<Project>().exec();
  }

  async remove(id: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: id }).exec()).deletedCount === 1;
  }
}
