import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';

/**
 * An HTTP request's context is entered before its guards run (request-context.hook.ts), with the
 * request id and address; the guards fill in the rest as they decide it.
 */
export interface RequestContextData {
  requestId: string;
  /** The verified caller: set by RequestContextGuard, after authentication and roles. */
  principal: Principal | undefined;
  /**
   * The tenant whose database this request works on: the caller's own tenant (from the token),
   * or, for a superadmin on `/tenants/{tenant_id}/...`, that tenant. Never from a header. Set
   * only by TenantAdmission, once the request is counted in the tenant and its route is known:
   * until then tenant models refuse to resolve.
   */
  tenantId: string | undefined;
  /** The client address as Fastify resolved it (TRUST_PROXY); absent outside HTTP. */
  ip?: string;
}

/**
 * The per-request context, carried by AsyncLocalStorage instead of Nest's request scope:
 * request-scoped providers rebuild their whole dependency subtree per request (~5x slower,
 * STACK.md); this is a singleton that reads the current request's data.
 */
@Injectable()
export class RequestContext {
  private readonly storage = new AsyncLocalStorage<RequestContextData>();

  run<R>(data: RequestContextData, fn: () => R): R {
    return this.storage.run(data, fn);
  }

  get current(): RequestContextData | undefined {
    return this.storage.getStore();
  }

  /** The current request's tenant; throws (a programming error, 500) when there is none. */
  requireTenantId(): string {
    const tenantId = this.storage.getStore()?.tenantId;
    if (!tenantId) throw new Error('No tenant in the request context: is this route tenant-scoped?');
    return tenantId;
  }
}
