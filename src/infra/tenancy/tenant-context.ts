import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RequestContext } from '../request-context/request-context';
import { tenantDbName } from './tenant-db-name';
import { TenantInFlight } from './tenant-in-flight';
import { TenantRouting } from './tenant-routing.service';

/**
 * Enters a tenant's context outside HTTP. The identity core's TenantRunner is the documented
 * entry point (it also checks the tenant is served); this is the mechanism it shares with HTTP:
 * the same AsyncLocalStorage context and the same in-flight count that tenant deletion drains.
 */
@Injectable()
export class TenantContext {
  constructor(
    private readonly context: RequestContext,
    private readonly inFlight: TenantInFlight,
    private readonly routing: TenantRouting,
  ) {}

  async run<R>(tenantId: string, fn: () => Promise<R> | R): Promise<R> {
    tenantDbName(tenantId); // throws on anything but a tenant id
    const release = this.inFlight.enter(tenantId);
    try {
      await this.routing.load(tenantId); // tenant models resolve their cluster synchronously
      // Inside a request (a public route acting in a tenant, e.g. accepting an invitation) the job
      // keeps that request's id and address, so its logs and audit events name the request.
      const outer = this.context.current;
      const requestId = outer?.requestId ?? `job-${randomUUID()}`;
      return await this.context.run({ requestId, principal: undefined, tenantId, ip: outer?.ip }, fn);
    } finally {
      release();
    }
  }
}
