import { Injectable } from '@nestjs/common';
import { isObjectId, toObjectId } from '../../common/ids';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { Project } from './project.schema';

/** Tenant-scoped: every query runs on the current tenant's database (the kit resolves it per call). */
@Injectable()
export class ProjectsRepository {
  constructor(@InjectTenantModel(Project.name) private readonly model: TenantModel<Project>) {}

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

  /**
   * Conditional on the writer: with `onlyCreator`, the update applies only if that user created the
   * project (one atomic operation: no read-then-write window). Null when nothing matched.
   */
  update(
    id: string,
    set: Partial<Pick<Project, 'name' | 'description'>>,
    onlyCreator?: string,
  ): Promise<Project | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model
      .findOneAndUpdate(this.writable(id, onlyCreator), { $set: set }, { returnDocument: 'after' })
      .lean<Project>()
      .exec();
  }

  /** Same condition as `update`; false when nothing matched. */
  async remove(id: string, onlyCreator?: string): Promise<boolean> {
    if (!isObjectId(id)) return false;
    return (await this.model.deleteOne(this.writable(id, onlyCreator)).exec()).deletedCount === 1;
  }

  private writable(id: string, onlyCreator: string | undefined) {
    return onlyCreator ? { _id: toObjectId(id), created_by: toObjectId(onlyCreator) } : { _id: toObjectId(id) };
  }
}
