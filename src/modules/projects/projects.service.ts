import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { type Page, type PageQueryDto, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import {
  type CreateProjectDto,
  type ProjectResponse,
  type UpdateProjectDto,
  toProjectResponse,
} from './dto/project.dto';
import type { Project } from './project.schema';
import { ProjectsRepository } from './projects.repository';

const notFound = () => AppError.notFound(ErrorCode.PROJECT_NOT_FOUND, 'Project not found');

/** Members read; the tenant's admins and the creator write. */
@Injectable()
export class ProjectsService {
  constructor(private readonly projects: ProjectsRepository) {}

  async list(query: PageQueryDto): Promise<Page<ProjectResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.projects.page(skip, limit);
    return toPage(items.map(toProjectResponse), total, query);
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
      createdBy: principal.userId,
    });
    return toProjectResponse(project);
  }

  async update(principal: Principal, id: string, dto: UpdateProjectDto): Promise<ProjectResponse> {
    await this.assertCanWrite(principal, id);
    const project = await this.projects.update(id, dto);
    if (!project) throw notFound();
    return toProjectResponse(project);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.assertCanWrite(principal, id);
    if (!(await this.projects.remove(id))) throw notFound();
  }

  private async assertCanWrite(principal: Principal, id: string): Promise<Project> {
    const project = await this.projects.findById(id);
    if (!project) throw notFound();
    if (principal.role !== 'tenant_admin' && String(project.created_by) !== principal.userId) {
      throw AppError.forbidden('Only the creator or a tenant_admin may change this project');
    }
    return project;
  }
}
