import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { TenantInFlight } from '../../infra/tenancy/tenant-in-flight';
import type { TenantStatus } from './tenant.schema';
import { TenantsRepository } from './tenants.repository';

const PLATFORM = { platform: true } as const;

/**
 * A tenant's status, read on every authenticated request: cached for TENANT_STATUS_TTL_MS and
 * dropped from the cache on every change, so a suspension or deletion is enforced within seconds
 * (at once where the cache is shared).
 */
@Injectable()
export class TenantStatusService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly cache: PlatformCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inFlight: TenantInFlight,
  ) {}

  async status(tenantId: string): Promise<TenantStatus | 'missing'> {
    // Fenced for deletion on this instance: `deleting`, even if a stale cache entry says active.
    if (this.inFlight.isFenced(tenantId)) return 'deleting';
    const cached = await this.cache.get<TenantStatus | 'missing'>(PLATFORM, 'tenant-status', tenantId);
    if (cached) return cached;
    const tenant = await this.tenants.findById(tenantId);
    const status = tenant?.status ?? 'missing';
    if (this.config.tenantStatusTtlMs > 0) {
      await this.cache.set(PLATFORM, 'tenant-status', tenantId, status, this.config.tenantStatusTtlMs);
    }
    return status;
  }

  async forget(tenantId: string): Promise<void> {
    await this.cache.del(PLATFORM, 'tenant-status', tenantId);
  }
}
