import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { isObjectId } from '../../common/ids';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { type TenantResponse, toTenantResponse } from '../dto/tenant.response';
import { TenantsRepository } from './tenants.repository';

const PLATFORM = { platform: true } as const;

export const tenantNotFound = () => AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant not found');

/** The cached read of a served tenant (GET /tenants/{id} and /auth/me), dropped on every change. */
@Injectable()
export class TenantDirectory {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly cache: PlatformCache,
  ) {}

  async read(id: string): Promise<TenantResponse> {
    if (!isObjectId(id)) throw tenantNotFound();
    const cached = await this.cache.get<TenantResponse>(PLATFORM, 'tenant', id, () => this.load(id));
    return cached ?? this.load(id);
  }

  /** `read` from the in-process cache alone, synchronously; undefined when `read` must go further. */
  readIfCached(id: string): TenantResponse | undefined {
    return isObjectId(id) ? this.cache.peek<TenantResponse>(PLATFORM, 'tenant', id, () => this.load(id)) : undefined;
  }

  /** From the database, then cached (also the refresh-ahead of a cached tenant). */
  private async load(id: string): Promise<TenantResponse> {
    const tenant = await this.tenants.findById(id);
    if (!tenant || (tenant.status !== 'active' && tenant.status !== 'suspended')) throw tenantNotFound();
    const response = toTenantResponse(tenant);
    await this.cache.set(PLATFORM, 'tenant', id, response);
    return response;
  }

  async forget(id: string): Promise<void> {
    await this.cache.del(PLATFORM, 'tenant', id);
  }
}
