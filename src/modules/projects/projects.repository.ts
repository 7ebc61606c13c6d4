import { Injectable } from '@nestjs/common';
import { isObjectId, toObjectId } from '../../common/ids';
import { TenantCache } from '../../infra/cache/tenant-cache.service';
import { InjectTenantModel, type TenantModel } from '../../infra/tenancy';
import { Project } from './project.schema';

/** The cached pages of GET /projects (TenantCache: the key carries the tenant). */
const LIST = 'projects';

/**
 * Tenant-scoped: every query runs on the current tenant's database (the kit resolves it per call).
 * Every write invalidates the tenant's cached list pages (after the write: see readListPage).
 */
@Injectable()
export class ProjectsRepository {
  constructor(
    @InjectTenantModel(Project.name) private readonly model: TenantModel<Project>,
    private readonly cache: TenantCache,
  ) {}

  async insert(data: { name: string; description: string | null; createdBy: string }): Promise<Project> {
    const doc = await this.model.create({
      name: data.name,
      description: data.description,
      created_by: toObjectId(data.createdBy),
    });
    await this.cache.invalidateListPages(LIST);
    return doc.toObject();
  }

  findById(id: string): Promise<Project | null> {
    if (!isObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<Project>().exec();
  }

  /**
   * A page in `_id` order, which is creation order (the id is made at insert), mapped by `map`
   * (the cache holds the mapped, JSON-safe items). On MongoDB the sort walks the `_id` index; the
   * page and the total are cached because on FerretDB both load the whole collection.
   */
  page<R>(skip: number, limit: number, map: (project: Project) => R): Promise<{ items: R[]; total: number }> {
    return this.cache.listPage(
      LIST,
      'all',
      { skip, limit },
      {
        items: async () =>
          (await this.model.find().sort({ _id: 1 }).skip(skip).limit(limit).lean<Project[]>().exec()).map(map),
        total: () => this.model.countDocuments().exec(),
      },
    );
  }

  /**
   * Conditional on the writer: with `onlyCreator`, the update applies only if that user created the
   * project (one atomic operation: no read-then-write window). Null when nothing matched.
   */
  async update(
    id: string,
    set: Partial<Pick<Project, 'name' | 'description'>>,
    onlyCreator?: string,
  ): Promise<Project | null> {
    if (!isObjectId(id)) return null;
    const project = await this.model
      .findOneAndUpdate(this.writable(id, onlyCreator), { $set: set }, { returnDocument: 'after' })
      .lean<Project>()
      .exec();
    if (project) await this.cache.invalidateListPages(LIST);
    return project;
  }

  /** Same condition as `update`; false when nothing matched. */
  async remove(id: string, onlyCreator?: string): Promise<boolean> {
    if (!isObjectId(id)) return false;
    const removed = (await this.model.deleteOne(this.writable(id, onlyCreator)).exec()).deletedCount === 1;
    if (removed) await this.cache.invalidateListPages(LIST);
    return removed;
  }

  private writable(id: string, onlyCreator: string | undefined) {
    return onlyCreator ? { _id: toObjectId(id), created_by: toObjectId(onlyCreator) } : { _id: toObjectId(id) };
  }
}
