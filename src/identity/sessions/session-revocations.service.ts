import { Inject, Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import type { CacheScope } from '../../infra/cache/cache-keys';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { CacheEcho } from '../cache-echo.service';
import { SessionRevocationsRepository } from './session-revocations.repository';

/** jsonwebtoken's clockTolerance in the JWT strategy, plus a margin. */
const CLOCK_MARGIN_MS = 10_000;

function scopeOf(tenantId: string | undefined): CacheScope {
  return tenantId ? { tenantId } : { platform: true };
}

/**
 * Ended sessions, so that their access tokens (claim `sid` = family id) die with them instead of
 * living until they expire. The record is in the database (the source of truth, survives a cache
 * flush); the per-request check reads the cache, where a revocation writes `true` at once (shared
 * Redis: every instance sees it on its next request) and a miss costs one point lookup by `_id`.
 */
@Injectable()
export class SessionRevocations {
  constructor(
    private readonly repo: SessionRevocationsRepository,
    private readonly cache: PlatformCache,
    private readonly echo: CacheEcho,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Call after the family's refresh tokens are revoked in the database. */
  async revoke(familyId: Types.ObjectId, tenantId: string | undefined): Promise<void> {
    const lifetimeMs = this.config.jwt.accessTtlSeconds * 1000 + CLOCK_MARGIN_MS;
    await this.repo.record(familyId, new Date(Date.now() + lifetimeMs));
    const sid = String(familyId);
    await this.echo.twice(() => this.cache.set(scopeOf(tenantId), 'sid-revoked', sid, true, lifetimeMs));
  }

  /** Hot path: a cache hit in steady state. */
  async isRevoked(tenantId: string | undefined, sid: string): Promise<boolean> {
    const cached = await this.cache.get<boolean>(scopeOf(tenantId), 'sid-revoked', sid, () => this.load(tenantId, sid));
    return cached ?? this.load(tenantId, sid);
  }

  /** `isRevoked` from the in-process cache alone, synchronously; undefined when `isRevoked` must read further. */
  isRevokedIfCached(tenantId: string | undefined, sid: string): boolean | undefined {
    return this.cache.peek<boolean>(scopeOf(tenantId), 'sid-revoked', sid, () => this.load(tenantId, sid));
  }

  /** From the database, then cached (also the refresh-ahead of a cached answer). */
  private async load(tenantId: string | undefined, sid: string): Promise<boolean> {
    const revoked = await this.repo.isRevoked(sid);
    await this.cache.set(scopeOf(tenantId), 'sid-revoked', sid, revoked);
    return revoked;
  }
}
