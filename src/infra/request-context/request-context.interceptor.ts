import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { TenantInFlight } from '../tenancy/tenant-in-flight';
import { runInRequestSpan } from '../tracing/request-span';
import { RequestContext } from './request-context';
import { SKIP_REQUEST_CONTEXT } from './skip-request-context.decorator';

/**
 * Runs the handler inside the request's AsyncLocalStorage context. It is entered here, after the
 * guards, because Fastify resumes body parsing from socket callbacks where a context entered in an
 * onRequest hook is lost. Also counts in-flight requests per tenant, so deleting a tenant can wait
 * for them before dropping its database.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  constructor(
    private readonly context: RequestContext,
    private readonly inFlight: TenantInFlight,
    private readonly reflector: Reflector,
  ) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(SKIP_REQUEST_CONTEXT, execution.getHandler())) return next.handle();
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    const data = { requestId: request.id, principal: request.principal, tenantId: request.tenantId, ip: request.ip };
    return new Observable((subscriber) => {
      const release = data.tenantId ? this.inFlight.enter(data.tenantId) : undefined;
      const subscription = runInRequestSpan(request, data.tenantId, () =>
        this.context.run(data, () => next.handle().subscribe(subscriber)),
      );
      return () => {
        subscription.unsubscribe();
        release?.();
      };
    });
  }
}
