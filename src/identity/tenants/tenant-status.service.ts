import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { TenantInFlight } from '../../infra/tenancy/tenant-in-flight';
import type { TenantStatus } from './tenant.schema';
import { TenantsRepository } from './tenants.repository';

const PLATFORM = { platform: true } as const;

/** What a token check needs about a tenant: whether it is served, and since when tokens count. */
export interface TenantGate {
  status: TenantStatus | 'missing';
  /** Last suspension (ms since epoch): tokens issued up to then stay dead after reactivation. */
  suspendedAt: number | null;
}

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
    return (await this.gate(tenantId)).status;
  }

  async gate(tenantId: string): Promise<TenantGate> {
    const known = this.gateIfCached(tenantId);
    if (known) return known;
    const cached = await this.cache.get<TenantGate>(PLATFORM, 'tenant-state', tenantId, () => this.load(tenantId));
    return cached ?? this.load(tenantId);
  }

  /** `gate` from this process alone (fence, in-process cache), synchronously; undefined when `gate` must read further. */
  gateIfCached(tenantId: string): TenantGate | undefined {
    // Fenced for deletion on this instance: `deleting`, even if a stale cache entry says active.
    if (this.inFlight.isFenced(tenantId)) return { status: 'deleting', suspendedAt: null };
    // Kind `tenant-state` (an object): not `tenant-status`, which held a bare string before.
    return this.cache.peek<TenantGate>(PLATFORM, 'tenant-state', tenantId, () => this.load(tenantId));
  }

  /** From the database, then cached (also the refresh-ahead of a cached gate). */
  private async load(tenantId: string): Promise<TenantGate> {
    const tenant = await this.tenants.findById(tenantId);
    const gate: TenantGate = {
      status: tenant?.status ?? 'missing',
      suspendedAt: tenant?.suspended_at ? tenant.suspended_at.getTime() : null,
    };
    if (this.config.tenantStatusTtlMs > 0) {
      await this.cache.set(PLATFORM, 'tenant-state', tenantId, gate, this.config.tenantStatusTtlMs);
    }
    return gate;
  }

  async forget(tenantId: string): Promise<void> {
    await this.cache.del(PLATFORM, 'tenant-state', tenantId);
  }
}
