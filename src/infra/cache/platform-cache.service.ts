import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type CacheScope, cacheKey } from './cache-keys';
import { recordCacheLookup } from '../metrics/metrics';
import { RedisGate } from './redis-gate.service';

export type CacheStatus = 'up' | 'down' | 'disabled';

/**
 * The cache with an explicit scope (a tenant id, or the platform): for the identity core and
 * infrastructure, which work across tenants (token checks run before any tenant context exists).
 * Feature modules get TenantCache instead (lint keeps this one out of them). Keys only come from
 * `cacheKey`; every call is bounded by CACHE_TIMEOUT_MS and a failure is a miss, because the cache
 * is optional: a slow, frozen or dead Redis must never fail or stall a request.
 */
@Injectable()
export class PlatformCache {
  private readonly logger = new Logger(PlatformCache.name);
  private lastWarnAt = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly gate: RedisGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // Deletions (invalidations) made while Redis was unreachable were lost: entries written
    // before the outage may be stale (an old token version, an active status). Drop them all.
    gate.onRecovery(() => {
      this.cache.clear().catch((err: Error) => this.warnThrottled(err));
    });
  }

  status(): CacheStatus {
    if (!this.gate.configured) return 'disabled';
    return this.gate.client?.isReady ? 'up' : 'down';
  }

  async get<T>(scope: CacheScope, kind: string, id: string): Promise<T | undefined> {
    if (this.skip()) {
      recordCacheLookup(false);
      return undefined;
    }
    const value = await this.bounded(() => this.cache.get<T>(cacheKey(scope, kind, id)));
    recordCacheLookup(value !== undefined && value !== null);
    return value ?? undefined;
  }

  async set<T>(scope: CacheScope, kind: string, id: string, value: T, ttlMs = this.config.cacheTtlMs): Promise<void> {
    if (this.skip()) return;
    await this.bounded(() => this.cache.set(cacheKey(scope, kind, id), value, ttlMs));
  }

  async del(scope: CacheScope, kind: string, id: string): Promise<void> {
    if (this.skip()) return; // lost deletions are covered by the clear on recovery
    await this.bounded(() => this.cache.del(cacheKey(scope, kind, id)));
  }

  /** With Redis configured but unusable, the cache is off (not silently in memory per process). */
  private skip(): boolean {
    return this.gate.configured && !this.gate.available();
  }

  private async bounded<R>(op: () => Promise<R>): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          resolve(undefined);
        }, this.config.cacheTimeoutMs);
      });
      const result = await Promise.race([op(), timeout]);
      if (timedOut && this.gate.configured) this.gate.suspend();
      else if (!timedOut) this.gate.markHealthy();
      return result;
    } catch (err) {
      this.warnThrottled(err as Error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private warnThrottled(err: Error): void {
    const now = Date.now();
    if (now - this.lastWarnAt < 10000) return;
    this.lastWarnAt = now;
    this.logger.warn(`cache operation failed, served as a miss (${err.name})`);
  }
}
