import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type CacheScope, cacheKey } from './cache-keys';
import { REDIS_CLIENT } from './cache.tokens';
import type { RedisClient } from './redis-client';

export type CacheStatus = 'up' | 'down' | 'disabled';

/**
 * Cache access for the whole app. Keys only come from `cacheKey` (tenant-scoped); every call is
 * bounded by CACHE_TIMEOUT_MS and a failure is a miss, because the cache is optional: a slow,
 * frozen or dead Redis must never fail or stall a request.
 */
@Injectable()
export class AppCacheService {
  private readonly logger = new Logger(AppCacheService.name);
  private lastWarnAt = 0;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  status(): CacheStatus {
    if (!this.redis) return 'disabled';
    return this.redis.isReady ? 'up' : 'down';
  }

  async get<T>(scope: CacheScope, kind: string, id: string): Promise<T | undefined> {
    if (this.redis && !this.redis.isReady) return undefined;
    const value = await this.bounded(() => this.cache.get<T>(cacheKey(scope, kind, id)));
    return value ?? undefined;
  }

  async set<T>(scope: CacheScope, kind: string, id: string, value: T, ttlMs = this.config.cacheTtlMs): Promise<void> {
    if (this.redis && !this.redis.isReady) return;
    await this.bounded(() => this.cache.set(cacheKey(scope, kind, id), value, ttlMs));
  }

  async del(scope: CacheScope, kind: string, id: string): Promise<void> {
    await this.bounded(() => this.cache.del(cacheKey(scope, kind, id)));
  }

  private async bounded<R>(op: () => Promise<R>): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), this.config.cacheTimeoutMs);
      });
      return await Promise.race([op(), timeout]);
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
