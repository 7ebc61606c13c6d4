import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { type Page, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { isObjectId } from '../../common/ids';
import { TenantInFlight } from '../../infra/tenancy/tenant-in-flight';
import { type TenantResponse, toTenantResponse } from '../dto/tenant.response';
import { PasswordService } from '../passwords/password.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import type { NewTenant, TenantChange, TenantListQuery } from './tenant-inputs';
import { TenantDirectory, tenantNotFound } from './tenant-directory.service';
import { TenantProvisioner } from './tenant-provisioner.service';
import { TenantStatusService } from './tenant-status.service';
import { TenantsRepository } from './tenants.repository';

/** How long deletion waits for this process's in-flight requests of the tenant. */
const DELETE_DRAIN_MS = 10_000;

const notFound = tenantNotFound;

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly provisioner: TenantProvisioner,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsRepository,
    private readonly status: TenantStatusService,
    private readonly directory: TenantDirectory,
    private readonly inFlight: TenantInFlight,
  ) {}

  async create(dto: NewTenant): Promise<TenantResponse> {
    const adminEmail = dto.admin_email ?? dto.email;
    this.passwords.assertAcceptable(dto.admin_password, 'admin_password', [adminEmail, dto.admin_name]);
    const { tenant } = await this.provisioner.provision({
      name: dto.name,
      domain: dto.domain,
      email: dto.email,
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
    const { items, total } = await this.tenants.page({ status: query.status }, skip, limit);
    return toPage(items.map(toTenantResponse), total, query);
  }

  /** A superadmin reads any tenant; a member only their own (another tenant's id is a 404). */
  async get(principal: Principal, id: string): Promise<TenantResponse> {
    if (principal.role !== 'superadmin' && principal.tenantId !== id) throw notFound();
    return this.directory.read(id);
  }

  async update(id: string, dto: TenantChange): Promise<TenantResponse> {
    if (!isObjectId(id)) throw notFound();
    // A suspension is dated: access tokens issued up to then stay dead after a reactivation.
    const set = dto.status === 'suspended' ? { ...dto, suspended_at: new Date() } : dto;
    const tenant = await this.tenants.update(id, set);
    if (!tenant) throw notFound();
    await Promise.all([this.directory.forget(id), this.status.forget(id)]);
    // Suspension ends every session: refresh tokens die; access tokens are refused by the status
    // check, and after reactivation by suspended_at.
    if (dto.status === 'suspended') await this.sessions.removeTenant(id);
    return toTenantResponse(tenant);
  }

  /**
   * Refuse the tenant first (status `deleting`, cache dropped), wait for its in-flight requests,
   * then drop its database: a write already under way cannot re-create it afterwards.
   */
  async remove(id: string): Promise<void> {
    if (!isObjectId(id)) throw notFound();
    const tenant = await this.tenants.transition(id, ['active', 'suspended', 'deleting'], 'deleting');
    if (!tenant) throw notFound();
    await Promise.all([this.directory.forget(id), this.status.forget(id)]);
    await this.inFlight.drain(id, DELETE_DRAIN_MS);
    await this.provisioner.destroy(id);
    await this.status.forget(id);
  }
}
