import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Principal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentPrincipal } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { PageQueryDto, PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { CreateProjectDto, ProjectPageResponse, ProjectResponse, UpdateProjectDto } from './dto/project.dto';
import { ProjectsService } from './projects.service';

/** The example tenant-scoped module (docs/extending.md walks through it). */
@ApiTags('projects')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: "List the tenant's projects", description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: ProjectPageResponse })
  list(@Query() query: PageQueryDto): Promise<ProjectPageResponse> {
    return this.projects.list(query);
  }

  @Post()
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Create a project (the caller becomes its creator)' })
  @ApiCreatedResponse({ type: ProjectResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateProjectDto): Promise<ProjectResponse> {
    return this.projects.create(principal, dto);
  }

  @Get(':project_id')
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Read a project' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PROJECT_NOT_FOUND' })
  get(@Param('project_id') id: string): Promise<ProjectResponse> {
    return this.projects.get(id);
  }

  @Patch(':project_id')
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Update a project (its creator or a tenant_admin)' })
  @ApiOkResponse({ type: ProjectResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PROJECT_NOT_FOUND' })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('project_id') id: string,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectResponse> {
    return this.projects.update(principal, id, dto);
  }

  @Delete(':project_id')
  @HttpCode(204)
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Delete a project (its creator or a tenant_admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'PROJECT_NOT_FOUND' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('project_id') id: string): Promise<void> {
    await this.projects.remove(principal, id);
  }
}
