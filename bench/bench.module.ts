import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Controller, Get, Module, Param, Query } from '@nestjs/common';
import type { Principal } from '../src/common/auth/principal';
import { Auth } from '../src/common/decorators/auth.decorator';
import { CurrentPrincipal } from '../src/common/decorators/current-principal.decorator';
import { AppError } from '../src/common/errors/app-error';
import { ProjectsError } from '../src/modules/projects/projects.errors';
import { Public } from '../src/common/decorators/public.decorator';
import { PasswordService } from '../src/identity/passwords/password.service';
import { isObjectId } from '../src/common/ids';
import { SkipRequestContext } from '../src/infra/request-context/skip-request-context.decorator';
import { TenantConnectionManager } from '../src/infra/tenancy/tenant-connection.manager';
import { InjectTenantModel, type TenantModel, TenantMongooseModule } from '../src/infra/tenancy';
import { Project, ProjectSchema } from '../src/modules/projects/project.schema';
import { BenchSeedController } from './seed-routes';

/**
 * Benchmark-only routes (mounted by bench/server.ts, never by the app): the same tenant-scoped
 * work done through the tenant data kit (a TenantModel handle resolved from the request context)
 * and by a plain singleton that takes the tenant from the principal and calls the connection
 * manager itself.
 */
@Controller('bench')
class BenchController {
  constructor(
    @InjectTenantModel(Project.name) private readonly projects: TenantModel<Project>,
    private readonly manager: TenantConnectionManager,
  ) {}

  /** Routing only: resolve the tenant's model (and so its database) through the handle, no I/O. */
  @Get('context/resolve')
  @Auth({ roles: ['tenant_admin', 'user'] })
  resolveViaContext(): { db: string } {
    // A Mongoose collection keeps its connection: the current tenant's database.
    return { db: (this.projects.collection as unknown as { conn: { name: string } }).conn.name };
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
    if (!isObjectId(id)) throw AppError.notFound(ProjectsError.PROJECT_NOT_FOUND, 'Project not found');
    return { name: found(await this.projects.findById(id).lean<Project>().exec()).name };
  }

  @Get('singleton/projects/:id')
  @Auth({ roles: ['tenant_admin', 'user'] })
  @SkipRequestContext()
  async readDirect(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<{ name: string }> {
    if (!isObjectId(id)) throw AppError.notFound(ProjectsError.PROJECT_NOT_FOUND, 'Project not found');
    const model = this.manager.model<Project>(principal.tenantId!, Project.name, ProjectSchema);
    return { name: found(await model.findById(id).lean<Project>().exec()).name };
  }
}

/**
 * Instrumentation for bench/run.ts (public, tenantless; bench-only like everything here): which
 * process answered (cluster runs), the tenant-connection cache and heap, and the bcrypt bound
 * measured on this process's own libuv thread pool.
 */
@Controller('bench')
class BenchProbeController {
  constructor(
    private readonly manager: TenantConnectionManager,
    private readonly passwords: PasswordService,
  ) {}

  @Get('whoami')
  @Public()
  @SkipRequestContext()
  whoami(): { pid: number } {
    return { pid: process.pid };
  }

  /** `?gc=1` collects first when the process runs with --expose-gc. */
  @Get('stats')
  @Public()
  @SkipRequestContext()
  stats(@Query('gc') gc?: string): { pid: number; tenantConnections: number; memory: NodeJS.MemoryUsage } {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc === '1' && collect) collect();
    return { pid: process.pid, tenantConnections: this.manager.size, memory: process.memoryUsage() };
  }

  private profiler: Session | undefined;

  /** V8 CPU profile of this process over a window the caller chooses (bench/profile.ts). */
  @Get('profile/start')
  @Public()
  @SkipRequestContext()
  async profileStart(): Promise<{ started: boolean }> {
    if (this.profiler) return { started: false };
    this.profiler = new Session();
    this.profiler.connect();
    await this.profiler.post('Profiler.enable');
    await this.profiler.post('Profiler.setSamplingInterval', { interval: 250 });
    await this.profiler.post('Profiler.start');
    return { started: true };
  }

  /** Stops the profile and writes it (a .cpuprofile) to `file`. */
  @Get('profile/stop')
  @Public()
  @SkipRequestContext()
  async profileStop(@Query('file') file: string): Promise<{ file: string }> {
    if (!this.profiler) return { file: '' };
    const { profile } = await this.profiler.post('Profiler.stop');
    this.profiler.disconnect();
    this.profiler = undefined;
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  }

  /**
   * The login's bcrypt work (PasswordService.verify at the configured cost) as fast as this
   * process's hashing threads allow: `concurrency` comparisons in flight for `seconds`.
   */
  @Get('bcrypt')
  @Public()
  @SkipRequestContext()
  async bcrypt(
    @Query('seconds') secondsRaw: string,
    @Query('concurrency') concurrencyRaw: string,
  ): Promise<{ hashes: number; seconds: number; perSecond: number; concurrency: number; threadpool: number }> {
    const seconds = Math.min(Math.max(Number(secondsRaw) || 5, 1), 120);
    const threadpool = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const concurrency = Math.max(Number(concurrencyRaw) || 2 * threadpool, 1);
    const hash = await this.passwords.hash('bench-bcrypt-bound');
    const started = process.hrtime.bigint();
    const deadline = Date.now() + seconds * 1000;
    let hashes = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          await this.passwords.verify('bench-bcrypt-bound', hash);
          hashes++;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    return { hashes, seconds: elapsed, perSecond: hashes / elapsed, concurrency, threadpool };
  }
}

function found(project: Project | null): Project {
  if (!project) throw AppError.notFound(ProjectsError.PROJECT_NOT_FOUND, 'Project not found');
  return project;
}

@Module({
  imports: [TenantMongooseModule.forFeature([{ name: Project.name, schema: ProjectSchema }])],
  controllers: [BenchController, BenchProbeController, BenchSeedController],
})
export class BenchModule {}
