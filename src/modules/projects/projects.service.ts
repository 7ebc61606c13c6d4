import { Injectable } from '@nestjs/common';
import { type Principal, actorId } from '../../common/auth/principal';
import { type Page, type PageQueryDto, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { ProjectsError } from './projects.errors';
import {
  type CreateProjectDto,
  type ProjectResponse,
  type UpdateProjectDto,
  toProjectResponse,
} from './dto/project.dto';
import { ProjectsRepository } from './projects.repository';

const notFound = () => AppError.notFound(ProjectsError.PROJECT_NOT_FOUND, 'Project not found');

/** Members read; the tenant's admins and the creator write. */
@Injectable()
export class ProjectsService {
  constructor(private readonly projects: ProjectsRepository) {}

  async list(query: PageQueryDto): Promise<Page<ProjectResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.projects.page(skip, limit, toProjectResponse);
    return toPage(items, total, query);
  }

  async get(id: string): Promise<ProjectResponse> {
    const project = await this.projects.findById(id);
    if (!project) throw notFound();
    return toProjectResponse(project);
  }

  async create(principal: Principal, dto: CreateProjectDto): Promise<ProjectResponse> {
    const project = await this.projects.insert({
      name: dto.name,
      description: dto.description ?? null,
      // A person or an API key: the key's id is the actor, and may change what it created.
      createdBy: actorId(principal),
    });
    return toProjectResponse(project);
  }

  async update(principal: Principal, id: string, dto: UpdateProjectDto): Promise<ProjectResponse> {
    const project = await this.projects.update(id, dto, this.onlyCreator(principal));
    if (!project) throw await this.refusal(id);
    return toProjectResponse(project);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.projects.remove(id, this.onlyCreator(principal)))) throw await this.refusal(id);
  }

  /** tenant_admins write any project; members only those they created. */
  private onlyCreator(principal: Principal): string | undefined {
    return principal.role === 'tenant_admin' ? undefined : actorId(principal);
  }

  /** Why a conditional write matched nothing: the project exists (not yours) or it does not. */
  private async refusal(id: string): Promise<AppError> {
    if (!(await this.projects.findById(id))) return notFound();
    return AppError.forbidden('Only the creator or a tenant_admin may change this project');
  }
}
