import { Controller, Get, Module, Param } from '@nestjs/common';
import type { Principal } from '../src/common/auth/principal';
import { Auth } from '../src/common/decorators/auth.decorator';
import { CurrentPrincipal } from '../src/common/decorators/current-principal.decorator';
import { AppError } from '../src/common/errors/app-error';
import { ErrorCode } from '../src/common/errors/error-code';
import { isObjectId } from '../src/common/ids';
import { SkipRequestContext } from '../src/infra/request-context/skip-request-context.decorator';
import { TenantConnectionManager } from '../src/infra/tenancy/tenant-connection.manager';
import { TenantConnectionProvider } from '../src/infra/tenancy/tenant-connection.provider';
import { type Project, ProjectSchema } from '../src/modules/projects/project.schema';
import { ProjectsModule } from '../src/modules/projects/projects.module';
import { ProjectsRepository } from '../src/modules/projects/projects.repository';

/**
 * Benchmark-only routes (mounted by bench/server.ts, never by the app): the same tenant-scoped
 * work done through the request context (TenantConnectionProvider) and by a plain singleton that
 * takes the tenant from the principal and calls the connection manager itself.
 */
@Controller('bench')
class BenchController {
  constructor(
    private readonly provider: TenantConnectionProvider,
    private readonly projects: ProjectsRepository,
    private readonly manager: TenantConnectionManager,
  ) {}

  /** Routing only: resolve the tenant's database, no I/O. */
  @Get('context/resolve')
  @Auth({ roles: ['tenant_admin', 'user'] })
  resolveViaContext(): { db: string } {
    return { db: this.provider.connection.name };
  }

  @Get('singleton/resolve')
  @Auth({ roles: ['tenant_admin', 'user'] })
  @SkipRequestContext()
  resolveDirect(@CurrentPrincipal() principal: Principal): { db: string } {
    return { db: this.manager.connection(principal.tenantId!).name };
  }

  /** Routing plus one indexed read in the tenant database. */
  @Get('context/projects/:id')
  @Auth({ roles: ['tenant_admin', 'user'] })
  async readViaContext(@Param('id') id: string): Promise<{ name: string }> {
    return { name: found(await this.projects.findById(id)).name };
  }

  @Get('singleton/projects/:id')
  @Auth({ roles: ['tenant_admin', 'user'] })
  @SkipRequestContext()
  async readDirect(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ name: string }> {
    if (!isObjectId(id)) throw AppError.notFound(ErrorCode.PROJECT_NOT_FOUND, 'Project not found');
    const model = this.manager.model<Project>(principal.tenantId!, 'Project', ProjectSchema);
    return { name: found(await model.findById(id).lean<Project>().exec()).name };
  }
}

function found(project: Project | null): Project {
  if (!project) throw AppError.notFound(ErrorCode.PROJECT_NOT_FOUND, 'Project not found');
  return project;
}

@Module({ imports: [ProjectsModule], controllers: [BenchController] })
export class BenchModule {}
