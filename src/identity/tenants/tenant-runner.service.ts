import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../infra/tenancy/tenant-context';
import { tenantNotFound } from './tenant-directory.service';
import { TenantStatusService } from './tenant-status.service';

/**
 * Runs code in a tenant's context outside HTTP: CLI commands, jobs, queue consumers. Inside `fn`,
 * tenant models and TenantCache resolve to that tenant, exactly as in a request; the tenant must be
 * served (active or suspended, as for a superadmin's /tenants/{tenant_id}/... request), and while
 * `fn` runs, deleting the tenant waits for it like for an in-flight request.
 *
 *     await runner.run(tenantId, () => tasks.closeOverdue());
 */
@Injectable()
export class TenantRunner {
  constructor(
    private readonly status: TenantStatusService,
    private readonly context: TenantContext,
  ) {}

  async run<R>(tenantId: string, fn: () => Promise<R> | R): Promise<R> {
    if (!/^[0-9a-f]{24}$/.test(tenantId)) throw tenantNotFound();
    const status = await this.status.status(tenantId);
    if (status !== 'active' && status !== 'suspended') throw tenantNotFound();
    return this.context.run(tenantId, fn);
  }
}
