import { Injectable } from '@nestjs/common';
import { RequestContext } from '../request-context/request-context';
import { type ListPageLoaders, invalidateListPages, readListPage } from './list-pages';
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

  /** A page of the tenant's list `list`, cached until `invalidateListPages(list)` (see readListPage). */
  async listPage<T>(
    list: string,
    variant: string,
    window: { skip: number; limit: number },
    load: ListPageLoaders<T>,
  ): Promise<{ items: T[]; total: number }> {
    return readListPage(this, list, variant, window, load);
  }

  /** After a write to the list's collection, before answering the writer. */
  async invalidateListPages(list: string): Promise<void> {
    return invalidateListPages(this, list);
  }

  private scope() {
    return { tenantId: this.context.requireTenantId() };
  }
}
