import { Injectable } from '@nestjs/common';
import type { ApiKeyPrincipal, TenantRole } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { CacheScope } from '../../infra/cache/cache-keys';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { CacheEcho } from '../cache-echo.service';
import { TenantStatusService } from '../tenants/tenant-status.service';
import { ApiKeyUsage } from './api-key-usage.service';
import { hashApiKey, isApiKeyShaped } from './api-key-secret';
import { ApiKeysError } from './api-keys.errors';
import { ApiKeysRepository } from './api-keys.repository';

/** What a request needs to know about a key; cached by hash, dropped from the cache on revocation. */
interface KeyState {
  keyId: string;
  tenantId: string;
  role: TenantRole;
  /** ms since epoch, or null: never expires. */
  expiresAt: number | null;
}

// Platform scope: the lookup runs before any tenant is known (the key is what names it).
const PLATFORM: CacheScope = { platform: true };
const KIND = 'api-key';

const invalid = (detail = 'Invalid API key') =>
  new AppError(401, ApiKeysError.API_KEY_INVALID, detail, { headers: { 'WWW-Authenticate': 'Bearer' } });

/**
 * Turns an `X-API-Key` header into a principal, or refuses it: unknown, malformed, revoked (its
 * record is gone), expired, or its tenant suspended (403 TENANT_SUSPENDED, like a bearer token) or
 * deleted. The key's state is cached like the token checks' (PlatformCache, so shared by every
 * instance through Redis; a revocation deletes the entry at once and again a second later), and
 * the tenant check is the bearer path's own (TenantStatusService.gate: cached, invalidated on
 * suspension, fenced during deletion). Warm, a key costs two cache reads and no database query.
 */
@Injectable()
export class ApiKeyAuthService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly cache: PlatformCache,
    private readonly echo: CacheEcho,
    private readonly tenantStatus: TenantStatusService,
    private readonly usage: ApiKeyUsage,
  ) {}

  async authenticate(raw: string): Promise<ApiKeyPrincipal> {
    if (!isApiKeyShaped(raw)) throw invalid();
    const hash = hashApiKey(raw);
    const state = await this.state(hash);
    if (!state) throw invalid();
    if (state.expiresAt !== null && state.expiresAt <= Date.now()) throw invalid('API key expired');
    const tenant = await this.tenantStatus.gate(state.tenantId);
    if (tenant.status === 'suspended') throw AppError.forbidden('Tenant is suspended', ErrorCode.TENANT_SUSPENDED);
    if (tenant.status !== 'active') throw invalid();
    this.usage.touch(hash);
    return { kind: 'api_key', keyId: state.keyId, tenantId: state.tenantId, role: state.role };
  }

  /** Call after deleting a key's record: every instance refuses it from its next request. */
  async forget(hash: string): Promise<void> {
    await this.echo.twice(() => this.cache.del(PLATFORM, KIND, hash));
  }

  private async state(hash: string): Promise<KeyState | null> {
    const cached = await this.cache.get<KeyState>(PLATFORM, KIND, hash);
    if (cached) return cached;
    const record = await this.keys.findByHash(hash);
    // Unknown keys are not cached: a guessed key would only fill the cache, and a point lookup by
    // `_id` is cheap. A key that becomes known later has a hash never cached as unknown anyway.
    if (!record) return null;
    const state: KeyState = {
      keyId: String(record.key_id),
      tenantId: String(record.tenant_id),
      role: record.role,
      expiresAt: record.expires_at ? record.expires_at.getTime() : null,
    };
    await this.cache.set(PLATFORM, KIND, hash, state);
    return state;
  }
}
