import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantAdmission } from '../tenancy/tenant-admission';
import { RequestContext } from './request-context';

/**
 * The last global guard: completes the request context (entered before the guards by
 * request-context.hook.ts) with what the guards before it decided. The verified principal, and
 * the tenant it acts in, admitted (TenantAdmission). A superadmin's request gets its tenant later,
 * from TenantScopeGuard. On a `@SkipRequestContext()` route there is no context and nothing to do.
 */
@Injectable()
export class RequestContextGuard implements CanActivate {
  constructor(
    private readonly context: RequestContext,
    private readonly admission: TenantAdmission,
  ) {}

  canActivate(execution: ExecutionContext): boolean | Promise<boolean> {
    const data = this.context.current;
    if (!data) return true;
    const http = execution.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    data.principal = request.principal;
    if (!request.tenantId) return true;
    const admitted = this.admission.admit(request, http.getResponse<FastifyReply>(), request.tenantId, data);
    return admitted ? admitted.then(() => true) : true;
  }
}
