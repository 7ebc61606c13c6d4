import { type CallHandler, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable, from, switchMap } from 'rxjs';
import { tenantMoving } from '../tenancy/tenancy.errors';
import { TenantInFlight } from '../tenancy/tenant-in-flight';
import { TenantRouting } from '../tenancy/tenant-routing.service';
import type { RouteScopedInterceptor } from '../http/route-scoped-interceptors';
import { runInRequestSpan } from '../tracing/request-span';
import { RequestContext } from './request-context';
import { SKIP_REQUEST_CONTEXT } from './skip-request-context.decorator';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs the handler inside the request's AsyncLocalStorage context. It is entered here, after the
 * guards, because Fastify resumes body parsing from socket callbacks where a context entered in an
 * onRequest hook is lost. Also counts in-flight requests per tenant, so deleting a tenant can wait
 * for them before dropping its database.
 */
@Injectable()
export class RequestContextInterceptor implements RouteScopedInterceptor {
  constructor(
    private readonly context: RequestContext,
    private readonly inFlight: TenantInFlight,
    private readonly reflector: Reflector,
    private readonly routing: TenantRouting,
  ) {}

  /** Left out of `@SkipRequestContext()` routes at boot (route-scoped-interceptors.ts). */
  appliesTo(handler: (...args: never[]) => unknown): boolean {
    return !this.reflector.get<boolean>(SKIP_REQUEST_CONTEXT, handler);
  }

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(SKIP_REQUEST_CONTEXT, execution.getHandler())) return next.handle();
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    const data = { requestId: request.id, principal: request.principal, tenantId: request.tenantId, ip: request.ip };
    const tenantId = data.tenantId;
    const handle = new Observable<unknown>((subscriber) => {
      const release = data.tenantId ? this.inFlight.enter(data.tenantId) : undefined;
      const subscription = runInRequestSpan(request, data.tenantId, () =>
        this.context.run(data, () => next.handle().subscribe(subscriber)),
      );
      return () => {
        subscription.unsubscribe();
        release?.();
      };
    });
    if (!tenantId) return handle;
    // Tenant models resolve their cluster synchronously: load the route first (a Map hit when fresh).
    // A read whose route is known but older than ROUTE_TTL_MS goes on with it and refreshes it in
    // the background: every route change is pushed over Redis at once, the TTL only bounds an
    // instance that missed the message, and a read before the switch still finds the source. Writes
    // always wait for a fresh route: the move's write fence must not be missed. Without this, every
    // tenant request at 1,000 tenants paid a master read (bench scenario 5).
    const known = this.routing.peek(tenantId);
    const fresh = this.routing.isFresh(tenantId);
    if (!fresh && known && SAFE_METHODS.has(request.method)) {
      this.routing.load(tenantId).catch(() => undefined); // a failed refresh: the next request retries
    }
    // A fresh (or, for a read, known) route: no rxjs hop (of/switchMap) before the handler.
    if (fresh || (known && SAFE_METHODS.has(request.method))) {
      this.assertNotMoving(request.method, tenantId);
      return handle;
    }
    return from(this.routing.load(tenantId)).pipe(
      switchMap(() => {
        this.assertNotMoving(request.method, tenantId);
        return handle;
      }),
    );
  }

  /**
   * A live move's write fence, checked up front so that a request that writes to the master and
   * then to the tenant is not cut half-way; the model-level fence catches the rest.
   */
  private assertNotMoving(method: string, tenantId: string): void {
    if (!SAFE_METHODS.has(method) && this.routing.peek(tenantId)?.moving) throw tenantMoving();
  }
}
