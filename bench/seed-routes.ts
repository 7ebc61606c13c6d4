import { Body, Controller, Post } from '@nestjs/common';
import { Types } from 'mongoose';
import { Public } from '../src/common/decorators/public.decorator';
import { SessionService } from '../src/identity/sessions/session.service';
import { SkipRequestContext } from '../src/infra/request-context/skip-request-context.decorator';
import { TenantConnectionManager } from '../src/infra/tenancy/tenant-connection.manager';
import { Project, ProjectSchema } from '../src/modules/projects/project.schema';

interface SeedBody {
  tenants: Array<{ tenant_id: string; admin_id: string }>;
  concurrency?: number;
}

/**
 * Bench-only seeding (mounted by bench/server.ts, never by the app): for each tenant made by `cli
 * provision-tenants`, its admin's session started by the app's own SessionService (what a login
 * does once the password is checked: a session record and a signed access token) and one project
 * inserted in the tenant's database through its Mongoose model. Through the API the same took a
 * login (bcrypt, rate limits, audit) and a POST per tenant: 14.6 tenants/s, too slow for 10,000.
 */
@Controller('bench')
export class BenchSeedController {
  constructor(
    private readonly sessions: SessionService,
    private readonly manager: TenantConnectionManager,
  ) {}

  @Post('seed')
  @Public()
  @SkipRequestContext()
  async seed(@Body() body: SeedBody): Promise<Array<{ token: string; project_id: string }>> {
    const out = new Array<{ token: string; project_id: string }>(body.tenants.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < body.tenants.length) {
        const i = next++;
        const { tenant_id: tenantId, admin_id: adminId } = body.tenants[i];
        const pair = await this.sessions.start({ userId: adminId, tenantId, role: 'tenant_admin', tokenVersion: 0 });
        await this.manager.connectionFor(tenantId); // loads the tenant's cluster route
        const model = this.manager.model<Project>(tenantId, Project.name, ProjectSchema);
        const project = await model.create({ name: `bench ${i}`, created_by: new Types.ObjectId(adminId) });
        out[i] = { token: pair.access_token, project_id: String(project._id) };
      }
    };
    await Promise.all(Array.from({ length: Math.min(body.concurrency ?? 8, body.tenants.length) }, worker));
    return out;
  }
}
