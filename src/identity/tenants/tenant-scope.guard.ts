import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { isObjectId } from '../../common/ids';
import { actorOf } from '../audit/audit-actor';
import { AuditTrail } from '../audit/audit-trail.service';
import { TenantAdmission } from '../../infra/tenancy/tenant-admission';
import { TenantStatusService } from './tenant-status.service';

/**
 * For `/tenants/{tenant_id}/...` routes (superadmin only, enforced by @Auth): makes that tenant
 * the request's tenant, once it is known to exist and to be served. This is the only way a
 * superadmin's request reaches a tenant database.
 */
@Injectable()
export class TenantScopeGuard implements CanActivate {
  constructor(
    private readonly tenantStatus: TenantStatusService,
    private readonly audit: AuditTrail,
    private readonly admission: TenantAdmission,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { tenant_id?: string } }>>();
    const tenantId = request.params.tenant_id;
    if (request.principal?.role !== 'superadmin') throw AppError.forbidden();
    if (!isObjectId(tenantId)) throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    const status = await this.tenantStatus.status(tenantId);
    if (status !== 'active' && status !== 'suspended')
      throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');
    request.tenantId = tenantId;
    await this.recordAccess(request, tenantId);
    await this.admission.admit(request, context.switchToHttp().getResponse<FastifyReply>(), tenantId);
    return true;
  }

  /**
   * Every superadmin access to a tenant's data, in both streams: the tenant's (its admins see who
   * looked) and the platform's. Here, the one gate such a request passes, before the handler runs
   * and before the tenant is admitted into the request context (actor and origin come from the
   * request).
   */
  private async recordAccess(request: FastifyRequest, tenantId: string): Promise<void> {
    const origin = { requestId: request.id, ip: request.ip };
    const input = {
      action: 'superadmin.tenant_access',
      actor: actorOf(request.principal),
      target: { type: 'tenant', id: tenantId },
      details: { method: request.method, route: request.routeOptions.url ?? null },
    };
    await this.audit.recordFor(origin, { ...input, tenantId });
    await this.audit.recordFor(origin, { ...input, tenantId: null });
  }
}

/**
 * On a controller (or handler) of `/tenants/{tenant_id}/...` routes for superadmins: the one way a
 * superadmin's request enters a tenant's context. Tenant models then resolve to that tenant.
 */
export const TenantFromPath = () => UseGuards(TenantScopeGuard);
