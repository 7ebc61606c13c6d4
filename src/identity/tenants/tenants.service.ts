import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { type Page, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { isObjectId } from '../../common/ids';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { TenantFence } from '../../infra/tenancy/tenant-fence.service';
import { type TenantResponse, toTenantResponse } from '../dto/tenant.response';
import { ErasureReceipts } from '../erasure/erasure-receipts.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { PasswordService } from '../passwords/password.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import type { NewTenant, TenantChange, TenantListQuery } from './tenant-inputs';
import { TenantDirectory, tenantNotFound } from './tenant-directory.service';
import { TenantProvisioner } from './tenant-provisioner.service';
import { TenantStatusService } from './tenant-status.service';
import { TenantsRepository } from './tenants.repository';

/** How long deletion waits for the tenant's in-flight requests, on every instance. */
const DELETE_DRAIN_MS = 10_000;

const notFound = tenantNotFound;

@Injectable()
export class TenantsService {
  private readonly logger = new Logger(TenantsService.name);

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly provisioner: TenantProvisioner,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsRepository,
    private readonly status: TenantStatusService,
    private readonly directory: TenantDirectory,
    private readonly fence: TenantFence,
    private readonly receipts: ErasureReceipts,
    private readonly audit: AuditTrail,
  ) {}

  async create(dto: NewTenant): Promise<TenantResponse> {
    const adminEmail = dto.admin_email ?? dto.email;
    this.passwords.assertAcceptable(dto.admin_password, 'admin_password', [adminEmail, dto.admin_name]);
    const { tenant } = await this.provisioner.provision({
      name: dto.name,
      domain: dto.domain,
      email: dto.email,
      cluster: dto.cluster,
      admin: {
        email: adminEmail,
        fullName: dto.admin_name,
        passwordHash: await this.passwords.hash(dto.admin_password),
      },
    });
    return toTenantResponse(tenant);
  }

  async list(query: TenantListQuery): Promise<Page<TenantResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.tenants.page({ status: query.status }, skip, limit, toTenantResponse);
    return toPage(items, total, query);
  }

  /** A superadmin reads any tenant; a member only their own (another tenant's id is a 404). */
  async get(principal: Principal, id: string): Promise<TenantResponse> {
    if (principal.role !== 'superadmin' && principal.tenantId !== id) throw notFound();
    return this.directory.read(id);
  }

  async update(id: string, dto: TenantChange): Promise<TenantResponse> {
    if (!isObjectId(id)) throw notFound();
    // Field names only (settings may hold anything), taken before the repository adds its own.
    const fields = Object.keys(dto).filter((k) => dto[k as keyof TenantChange] !== undefined);
    // A suspension is dated: access tokens issued up to then stay dead after a reactivation.
    const set = dto.status === 'suspended' ? { ...dto, suspended_at: new Date() } : dto;
    const tenant = await this.tenants.update(id, set);
    if (!tenant) throw notFound();
    await Promise.all([this.directory.forget(id), this.status.forget(id)]);
    // Suspension ends every session: refresh tokens die; access tokens are refused by the status
    // check, and after reactivation by suspended_at.
    if (dto.status === 'suspended') await this.sessions.removeTenant(id);
    await this.audit.record({
      action: dto.status === 'suspended' ? 'tenant.suspended' : 'tenant.updated',
      target: { type: 'tenant', id },
      details: { fields, status: tenant.status },
      tenantId: null,
    });
    return toTenantResponse(tenant);
  }

  /**
   * Deletes a tenant without ever dropping its database under a live write, with any number of
   * instances: (1) the record turns `deleting` (refused by every status check that reads it) and
   * its cached status is dropped; (2) every instance fences the tenant and drains its own
   * in-flight requests of it (TenantFence, over Redis); (3) only then is the database dropped.
   * If some instance cannot confirm (a request outlived the drain time, Redis is unreachable),
   * nothing is dropped: the tenant stays `deleting`, refused everywhere, and the answer is 503;
   * repeating the DELETE resumes from step 1 (`deleting` -> `deleting` is allowed), and so does
   * TenantDeletionSweeper for a deletion nobody repeats.
   */
  async remove(id: string): Promise<void> {
    if (!isObjectId(id)) throw notFound();
    const tenant = await this.tenants.transition(id, ['active', 'suspended', 'deleting'], 'deleting');
    if (!tenant) throw notFound();
    await Promise.all([this.directory.forget(id), this.status.forget(id)]);
    const outcome = await this.fence.everywhere(id, DELETE_DRAIN_MS);
    if (!outcome.fenced) {
      this.logger.warn(`tenant ${id} stays deleting, database kept: ${outcome.reason}`);
      throw new AppError(
        503,
        ErrorCode.SERVICE_UNAVAILABLE,
        `Tenant deletion is pending (${outcome.reason}); the tenant is refused meanwhile. Repeat the DELETE`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    // The receipt is stored before the record goes: a crash in between leaves a `deleting` tenant
    // whose resumed deletion keeps the first receipt (ErasureReceipts.record).
    const erased = await this.provisioner.erase(id);
    await this.receipts.record(tenant, erased, { startedAt: tenant.updated_at, instances: outcome.instances });
    await this.tenants.remove(id);
    await this.status.forget(id);
    // The tenant's own stream went with its database; the platform stream keeps the deletion.
    await this.audit.record({
      action: 'tenant.deleted',
      target: { type: 'tenant', id },
      details: { name: tenant.name, domain: tenant.domain },
      tenantId: null,
    });
  }

  /** Tenants left `deleting` for longer than `ms` (see TenantDeletionSweeper). */
  stuckDeletions(ms: number): Promise<string[]> {
    return this.tenants.stuckDeletions(new Date(Date.now() - ms));
  }
}
