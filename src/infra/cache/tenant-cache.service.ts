import { Injectable } from '@nestjs/common';
import { RequestContext } from '../request-context/request-context';
import { PlatformCache } from './platform-cache.service';

/**
 * The cache for feature modules: every key carries the current tenant, taken from the request
 * context (the verified token), never from the caller; outside a tenant context it throws. So one
 * tenant's entry can never answer another tenant's read, whatever the feature names its keys.
 */
@Injectable()
export class TenantCache {
  constructor(
    private readonly cache: PlatformCache,
    private readonly context: RequestContext,
  ) {}

  async get<T>(kind: string, id: string): Promise<T | undefined> {
    return this.cache.get<T>(this.scope(), kind, id);
  }

  /** `ttlMs` defaults to CACHE_TTL_MS. */
  async set<T>(kind: string, id: string, value: T, ttlMs?: number): Promise<void> {
    return this.cache.set(this.scope(), kind, id, value, ttlMs);
  }

  async del(kind: string, id: string): Promise<void> {
    return this.cache.del(this.scope(), kind, id);
  }

  private scope() {
    return { tenantId: this.context.requireTenantId() };
  }
}
