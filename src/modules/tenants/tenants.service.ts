import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { type Page, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { isObjectId } from '../../common/ids';
import { AppCacheService } from '../../infra/cache/app-cache.service';
import { TenantInFlight } from '../../infra/tenancy/tenant-in-flight';
import { PasswordService } from '../auth/password.service';
import { SessionsRepository } from '../auth/sessions.repository';
import type { CreateTenantDto } from './dto/create-tenant.dto';
import type { ListTenantsQueryDto } from './dto/list-tenants.query';
import { type TenantResponse, toTenantResponse } from './dto/tenant.response';
import type { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantProvisioner } from './tenant-provisioner.service';
import { TenantStatusService } from './tenant-status.service';
import { TenantsRepository } from './tenants.repository';

const PLATFORM = { platform: true } as const;
/** How long deletion waits for this process's in-flight requests of the tenant. */
const DELETE_DRAIN_MS = 10_000;

const notFound = () => AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly provisioner: TenantProvisioner,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsRepository,
    private readonly status: TenantStatusService,
    private readonly cache: AppCacheService,
    private readonly inFlight: TenantInFlight,
  ) {}

  async create(dto: CreateTenantDto): Promise<TenantResponse> {
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

  async list(query: ListTenantsQueryDto): Promise<Page<TenantResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.tenants.page({ status: query.status }, skip, limit);
    return toPage(items.map(toTenantResponse), total, query);
  }

  /** A superadmin reads any tenant; a member only their own (another tenant's id is a 404). */
  async get(principal: Principal, id: string): Promise<TenantResponse> {
    if (principal.role !== 'superadmin' && principal.tenantId !== id) throw notFound();
    return this.read(id);
  }

  /** Cached tenant read (also behind /auth/me), invalidated by update and delete. */
  async read(id: string): Promise<TenantResponse> {
    if (!isObjectId(id)) throw notFound();
    const cached = await this.cache.get<TenantResponse>(PLATFORM, 'tenant', id);
    if (cached) return cached;
    const tenant = await this.tenants.findById(id);
    if (!tenant || (tenant.status !== 'active' && tenant.status !== 'suspended')) throw notFound();
    const response = toTenantResponse(tenant);
    await this.cache.set(PLATFORM, 'tenant', id, response);
    return response;
  }

  async update(id: string, dto: UpdateTenantDto): Promise<TenantResponse> {
    if (!isObjectId(id)) throw notFound();
    const tenant = await this.tenants.update(id, dto);
    if (!tenant) throw notFound();
    await Promise.all([this.cache.del(PLATFORM, 'tenant', id), this.status.forget(id)]);
    // Suspension ends every session: refresh tokens die; access tokens are refused by the status check.
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
    await Promise.all([this.cache.del(PLATFORM, 'tenant', id), this.status.forget(id)]);
    await this.inFlight.drain(id, DELETE_DRAIN_MS);
    await this.provisioner.destroy(id);
    await this.status.forget(id);
  }
}
