import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type CacheScope, cacheKey } from './cache-keys';
import { recordCacheLookup } from '../metrics/metrics';
import { CacheInvalidation, type InvalidationStatus } from './cache-invalidation.service';
import { LocalCache } from './local-cache';
import { LostWrites } from './lost-writes';
import { RedisGate } from './redis-gate.service';

export type CacheStatus = 'up' | 'down' | 'disabled';

/** Lost keys remembered for a targeted recovery; past this many, recovery clears every cache. */
const LOST_KEYS_TRACKED = 10_000;

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
  private readonly local: LocalCache;
  /** Writes and deletions of this instance that did not reach Redis (or whose publish did not). */
  private readonly lost = new LostWrites(LOST_KEYS_TRACKED);

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly gate: RedisGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invalidation: CacheInvalidation,
  ) {
    this.local = new LocalCache(config.localCacheMaxEntries);
    invalidation.attach(this.local);
    // Writes and deletions (invalidations) made while Redis was unreachable were lost: those
    // entries may be stale in Redis and on other instances (an old token version, an active
    // status). Delete exactly those everywhere (all entries past LOST_KEYS_TRACKED). A read that
    // timed out lost nothing.
    gate.onRecovery(() => {
      const lost = this.lost.take();
      if (lost === undefined) return;
      if (lost === 'all') {
        this.local.clear();
        this.cache.clear().catch((err: Error) => this.warnThrottled(err));
        this.invalidation.publishClear().catch((err: Error) => this.warnThrottled(err));
        return;
      }
      for (const key of lost.keys) this.local.delete(key);
      void Promise.all(lost.keys.map((key) => this.deleteEverywhere(key)));
    });
  }

  /** Deletes in Redis and tells the other instances; a failure is remembered for the next recovery. */
  private async deleteEverywhere(key: string): Promise<void> {
    await this.bounded(() => this.cache.del(key), key);
    await this.bounded(() => this.invalidation.publish(key), key);
  }

  status(): CacheStatus {
    if (!this.gate.configured) return 'disabled';
    return this.gate.client?.isReady ? 'up' : 'down';
  }

  /** Whether other instances' invalidations reach this one's local cache. */
  invalidationStatus(): InvalidationStatus {
    return this.invalidation.status;
  }

  /** Entries in the in-process cache (diagnostics). */
  localSize(): number {
    return this.local.size;
  }

  /**
   * `reload` (refresh-ahead): the caller's own load-and-`set`, run in the background (one at a time
   * per key) when a local hit is in the last quarter of its lifetime, so that an entry in steady
   * use is replaced before it expires instead of its expiry putting a database read on some
   * request's path. Without it, at 1,000 tenants every tenant's entries expired within the same
   * 30 s and a few percent of requests paid a miss (bench scenario 5: the write p99 3.2x the
   * 10-tenant one). Invalidation is unchanged: a deletion drops the entry at once.
   */
  async get<T>(scope: CacheScope, kind: string, id: string, reload?: () => Promise<unknown>): Promise<T | undefined> {
    const key = cacheKey(scope, kind, id);
    const hit = this.localHit<T>(key, reload);
    if (hit !== undefined) return hit;
    if (!this.gate.configured || this.skip()) {
      recordCacheLookup(false);
      return undefined;
    }
    const watch = this.local.watch(key);
    let value: T | undefined;
    let unchanged: boolean;
    try {
      value = await this.bounded(() => this.cache.get<T>(key));
    } finally {
      unchanged = this.local.end(watch);
    }
    const found = value !== undefined && value !== null;
    recordCacheLookup(found);
    // Not if an invalidation of this key arrived meanwhile: this answer may predate the change.
    if (found && unchanged) this.storeLocal(key, value, this.config.localCacheTtlMs);
    return value ?? undefined;
  }

  /**
   * `get` as far as the in-process cache goes, synchronously: the value on a local hit (with the
   * same refresh-ahead), undefined when only `get` can tell. For the per-request checks, which
   * answer from local hits in steady state: no promise and no microtask turn per lookup (a
   * request of a user makes five; `await`ing each through its service's async method cost about
   * a tenth of the CPU of a cached GET /auth/me).
   */
  peek<T>(scope: CacheScope, kind: string, id: string, reload?: () => Promise<unknown>): T | undefined {
    return this.localHit<T>(cacheKey(scope, kind, id), reload);
  }

  private localHit<T>(key: string, reload: (() => Promise<unknown>) | undefined): T | undefined {
    const hit = this.local.get(key);
    if (!hit) return undefined;
    recordCacheLookup(true);
    if (reload && hit.refreshAt <= Date.now()) this.refreshAhead(key, reload);
    return hit.value as T;
  }

  async set<T>(scope: CacheScope, kind: string, id: string, value: T, ttlMs = this.config.cacheTtlMs): Promise<void> {
    const key = cacheKey(scope, kind, id);
    if (!this.gate.configured) return this.storeLocal(key, value, ttlMs);
    this.local.delete(key);
    if (this.skip()) {
      this.lost.add(key);
      return;
    }
    const watch = this.local.watch(key);
    let unchanged: boolean;
    try {
      await this.bounded(() => this.cache.set(key, value, ttlMs), key);
      // Others drop their copy (they re-read this value from Redis); this instance keeps it unless
      // an invalidation of this key arrived meanwhile. Published only once Redis holds the value.
      await this.bounded(() => this.invalidation.publish(key), key);
    } finally {
      unchanged = this.local.end(watch);
    }
    if (unchanged) this.storeLocal(key, value, ttlMs);
  }

  async del(scope: CacheScope, kind: string, id: string): Promise<void> {
    const key = cacheKey(scope, kind, id);
    this.local.delete(key);
    if (!this.gate.configured) return;
    if (this.skip()) {
      this.lost.add(key); // deleted everywhere on recovery
      return;
    }
    await this.deleteEverywhere(key);
  }

  /** Background reloads running, by key. */
  private readonly reloading = new Set<string>();

  private refreshAhead(key: string, reload: () => Promise<unknown>): void {
    if (this.reloading.has(key)) return;
    this.reloading.add(key);
    // A failed reload leaves the entry to expire; the request that then misses sees the failure.
    this.refreshFromRedisOrReload(key, reload)
      .catch(() => undefined)
      .finally(() => this.reloading.delete(key));
  }

  /**
   * Redis's copy first: it is as current as invalidations make it and usually outlives the local
   * one (CACHE_TTL_MS vs LOCAL_CACHE_TTL_MS), so the database is read only once Redis has none.
   */
  private async refreshFromRedisOrReload(key: string, reload: () => Promise<unknown>): Promise<void> {
    if (this.gate.configured && !this.skip()) {
      const watch = this.local.watch(key);
      let value: unknown;
      let unchanged: boolean;
      try {
        value = await this.bounded(() => this.cache.get(key));
      } finally {
        unchanged = this.local.end(watch);
      }
      if (value !== undefined && value !== null) {
        if (unchanged) this.storeLocal(key, value, this.config.localCacheTtlMs);
        return;
      }
    }
    await reload();
  }

  /**
   * Stores locally for the local lifetime of an entry whose Redis lifetime is `ttlMs`. Refreshed
   * ahead only while invalidations arrive (or there is no Redis): on the short fallback lifetime a
   * reload would read the database every few hundred milliseconds instead of Redis.
   */
  private storeLocal(key: string, value: unknown, ttlMs: number): void {
    const local = this.gate.configured ? this.localTtl(ttlMs) : ttlMs;
    const ahead = !this.gate.configured || this.invalidation.live;
    this.local.set(key, value, local, Date.now(), ahead ? local * 0.75 : undefined);
  }

  /** The local lifetime of an entry whose Redis lifetime is `ttlMs`. */
  private localTtl(ttlMs: number): number {
    const cap = this.invalidation.live ? this.config.localCacheTtlMs : this.config.localCacheFallbackTtlMs;
    return Math.min(ttlMs, cap);
  }

  /** With Redis configured but unusable, the cache is off (not silently in memory per process). */
  private skip(): boolean {
    return this.gate.configured && !this.gate.available();
  }

  /**
   * `lostKey`: the operation writes or deletes that key, and a timeout or failure loses it (it is
   * deleted everywhere on the next recovery). A timeout counts only once this process has handled
   * its pending I/O: when the event loop itself was stalled (a GC pause, a burst of work), the
   * timer and Redis's answer are both due, and the answer must win; a stall of this process is not
   * a Redis stall (each false timeout bypassed Redis for a second).
   */
  private async bounded<R>(op: () => Promise<R>, lostKey?: string): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let settled = false;
    try {
      const work = op().finally(() => (settled = true));
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(
          () =>
            setImmediate(() => {
              if (settled) return;
              timedOut = true;
              resolve(undefined);
            }),
          this.config.cacheTimeoutMs,
        );
      });
      const result = await Promise.race([work, timeout]);
      if (timedOut && lostKey !== undefined) this.lost.add(lostKey);
      if (timedOut && this.gate.configured) this.gate.suspend();
      else if (!timedOut) this.gate.markHealthy();
      return result;
    } catch (err) {
      if (lostKey !== undefined) this.lost.add(lostKey);
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
