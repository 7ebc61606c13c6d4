import { Injectable } from '@nestjs/common';
import type { Principal, UserPrincipal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { CacheScope } from '../infra/cache/cache-keys';
import { PlatformCache } from '../infra/cache/platform-cache.service';
import { CacheEcho } from './cache-echo.service';
import { MembersRepository } from './members/members.repository';
import { SessionRevocations } from './sessions/session-revocations.service';
import type { AccessClaims } from './sessions/token.service';
import { SuperadminsRepository } from './superadmins/superadmins.repository';
import { type TenantGate, TenantStatusService } from './tenants/tenant-status.service';

/** What a request needs to know about the account behind a token; cached, invalidated on change. */
interface AccountState {
  ver: number;
  active: boolean;
  role: Principal['role'];
}

const PLATFORM_GATE: TenantGate = { status: 'active', suspendedAt: null };

function scopeOf(tenantId: string | undefined): CacheScope {
  return tenantId ? { tenantId } : { platform: true };
}

/**
 * Turns verified token claims into a Principal, refusing tokens whose account was deactivated,
 * deleted, logged out everywhere, changed password or role (token version), whose session ended,
 * or whose tenant is not active or was suspended after the token was issued. This is what makes
 * revocation immediate despite stateless JWTs.
 */
@Injectable()
export class AuthStateService {
  constructor(
    private readonly cache: PlatformCache,
    private readonly tenantStatus: TenantStatusService,
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly revocations: SessionRevocations,
    private readonly echo: CacheEcho,
  ) {}

  async principalFor(claims: AccessClaims): Promise<UserPrincipal> {
    // The three lookups are on the hot path of every request. In steady state all three are
    // in-process hits, answered synchronously; otherwise they are issued concurrently and cost
    // about one cache round trip's time, not three; the database is read only on a miss.
    const tenantNow = claims.tid ? this.tenantStatus.gateIfCached(claims.tid) : PLATFORM_GATE;
    const stateNow = this.accountStateIfCached(claims.tid, claims.sub);
    const revokedNow = this.revocations.isRevokedIfCached(claims.tid, claims.sid);
    if (tenantNow !== undefined && stateNow !== undefined && revokedNow !== undefined)
      return this.decide(claims, tenantNow, stateNow || null, revokedNow);
    const [tenant, state, revoked] = await Promise.all([
      tenantNow ?? this.tenantStatus.gate(claims.tid!),
      stateNow === undefined ? this.accountState(claims.tid, claims.sub) : stateNow || null,
      revokedNow ?? this.revocations.isRevoked(claims.tid, claims.sid),
    ]);
    return this.decide(claims, tenant, state, revoked);
  }

  private decide(
    claims: AccessClaims,
    tenant: TenantGate,
    state: AccountState | null,
    revoked: boolean,
  ): UserPrincipal {
    if (tenant.status === 'suspended') throw AppError.forbidden('Tenant is suspended', ErrorCode.TENANT_SUSPENDED);
    if (tenant.status !== 'active') throw AppError.unauthenticated('Token is no longer valid');
    // Issued before the tenant's last suspension: dead, also after a reactivation (iat carries
    // milliseconds, see TokenService.signAccess).
    if (tenant.suspendedAt !== null && Math.round((claims.iat ?? 0) * 1000) <= tenant.suspendedAt) {
      throw AppError.unauthenticated('Token is no longer valid');
    }
    if (!state || !state.active || state.ver !== claims.ver || state.role !== claims.role) {
      throw AppError.unauthenticated('Token is no longer valid');
    }
    // The token's session ended (logout, reuse detection, revocation).
    if (revoked) throw AppError.unauthenticated('Token is no longer valid');
    return { kind: 'user', userId: claims.sub, tenantId: claims.tid, role: claims.role, sessionId: claims.sid };
  }

  /**
   * Call after the final write of any change to an account's version, activity or role, or its
   * deletion (also when the change failed after writing). Repeated shortly after (CacheEcho), so
   * a token check that read the old state just before the write cannot re-cache it.
   */
  async forget(tenantId: string | undefined, userId: string): Promise<void> {
    await this.echo.twice(() => this.cache.del(scopeOf(tenantId), 'account-state', userId));
  }

  /** The cached state (`false`: no such account) from the in-process cache alone; undefined on a local miss. */
  private accountStateIfCached(tenantId: string | undefined, userId: string): AccountState | false | undefined {
    return this.cache.peek<AccountState | false>(scopeOf(tenantId), 'account-state', userId, () =>
      this.loadAccountState(tenantId, userId),
    );
  }

  private async accountState(tenantId: string | undefined, userId: string): Promise<AccountState | null> {
    const cached = await this.cache.get<AccountState | false>(scopeOf(tenantId), 'account-state', userId, () =>
      this.loadAccountState(tenantId, userId),
    );
    if (cached !== undefined) return cached || null;
    return (await this.loadAccountState(tenantId, userId)) || null;
  }

  /** From the database, then cached (also the refresh-ahead of a cached state). */
  private async loadAccountState(tenantId: string | undefined, userId: string): Promise<AccountState | false> {
    let state: AccountState | false = false;
    if (tenantId) {
      const user = await this.users.inTenant(tenantId).findById(userId);
      if (user) state = { ver: user.token_version, active: user.is_active, role: user.role };
    } else {
      const admin = await this.superadmins.findById(userId);
      if (admin) state = { ver: admin.token_version, active: admin.is_active, role: 'superadmin' };
    }
    await this.cache.set(scopeOf(tenantId), 'account-state', userId, state);
    return state;
  }
}
