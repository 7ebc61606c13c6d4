import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { RequestContext, type RequestContextData } from '../request-context/request-context';
import { tagRequestTenant } from '../tracing/request-span';
import { tenantMoving } from './tenancy.errors';
import { TenantInFlight } from './tenant-in-flight';
import { TenantRouting } from './tenant-routing.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets an HTTP request into the tenant its guards decided on: the one step between "the verified
 * token (or, for a superadmin, `/tenants/{tenant_id}/...`) names tenant T" and "tenant models
 * resolve to T". Called by the last global guard (RequestContextGuard) and by TenantScopeGuard,
 * so it runs after every guard that can refuse the request on who is calling. It:
 * - counts the request in the tenant until its response is closed, so deleting a tenant can wait
 *   for it (and refuses a tenant being deleted here: 404);
 * - makes sure the tenant's cluster route is known, since tenant models resolve it synchronously;
 * - refuses a write while a live move fences the tenant (503 TENANT_MOVING), up front, so a
 *   request that writes to the master and then to the tenant is not cut half-way (the
 *   model-level fence catches the rest);
 * - and only then sets the tenant in the request context.
 */
@Injectable()
export class TenantAdmission {
  constructor(
    private readonly context: RequestContext,
    private readonly inFlight: TenantInFlight,
    private readonly routing: TenantRouting,
  ) {}

  /** Synchronous (no await on the hot path) when the route is fresh, or known and the request reads. */
  admit(
    request: FastifyRequest,
    reply: FastifyReply,
    tenantId: string,
    data: RequestContextData | undefined = this.context.current,
  ): void | Promise<void> {
    if (!data) throw new Error('No request context to admit a tenant into: is this a @SkipRequestContext() route?');
    if (data.tenantId !== undefined) {
      if (data.tenantId === tenantId) return;
      throw new Error('The request was already admitted to another tenant');
    }
    const response = reply.raw;
    const release = this.inFlight.enter(tenantId);
    // The client is already gone: nothing will close the response again, so do not count it.
    if (response.closed) {
      release();
      throw new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'The client closed the request');
    }
    response.on('close', release); // emitted once; `release` is idempotent anyway
    const reads = SAFE_METHODS.has(request.method);
    const known = this.routing.peek(tenantId);
    const fresh = this.routing.isFresh(tenantId);
    // A read whose route is known but older than ROUTE_TTL_MS goes on with it and refreshes it in
    // the background: every route change is announced at once (Redis, the routing epoch), the TTL
    // only bounds an instance that missed both, and a read before the switch still finds the
    // source. Writes always wait for a fresh route: the move's write fence must not be missed.
    // Without this, every tenant request at 1,000 tenants paid a master read (bench scenario 5).
    if (fresh || (known && reads)) {
      if (!fresh) this.routing.load(tenantId).catch(() => undefined); // the next request retries
      this.enter(data, request, tenantId, reads);
      return;
    }
    return this.routing.load(tenantId).then(() => this.enter(data, request, tenantId, reads));
  }

  private enter(data: RequestContextData, request: FastifyRequest, tenantId: string, reads: boolean): void {
    if (!reads && this.routing.peek(tenantId)?.moving) throw tenantMoving();
    data.tenantId = tenantId;
    tagRequestTenant(request, tenantId);
  }
}
