import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { CacheScope } from '../infra/cache/cache-keys';
import { PlatformCache } from '../infra/cache/platform-cache.service';
import { MembersRepository } from './members/members.repository';
import type { AccessClaims } from './sessions/token.service';
import { SuperadminsRepository } from './superadmins/superadmins.repository';
import { TenantStatusService } from './tenants/tenant-status.service';

/** What a request needs to know about the account behind a token; cached, invalidated on change. */
interface AccountState {
  ver: number;
  active: boolean;
  role: Principal['role'];
}

function scopeOf(tenantId: string | undefined): CacheScope {
  return tenantId ? { tenantId } : { platform: true };
}

/**
 * Turns verified token claims into a Principal, refusing tokens whose account was deactivated,
 * deleted, logged out everywhere, changed password or role (token version), or whose tenant is
 * not active. This is what makes revocation immediate despite stateless JWTs.
 */
@Injectable()
export class AuthStateService {
  constructor(
    private readonly cache: PlatformCache,
    private readonly tenantStatus: TenantStatusService,
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
  ) {}

  async principalFor(claims: AccessClaims): Promise<Principal> {
    // Both lookups are on the hot path of every request: one round trip's time, not two.
    const [status, state] = await Promise.all([
      claims.tid ? this.tenantStatus.status(claims.tid) : Promise.resolve('active' as const),
      this.accountState(claims.tid, claims.sub),
    ]);
    if (status === 'suspended') throw AppError.forbidden('Tenant is suspended', ErrorCode.TENANT_SUSPENDED);
    if (status !== 'active') throw AppError.unauthenticated('Token is no longer valid');
    if (!state || !state.active || state.ver !== claims.ver || state.role !== claims.role) {
      throw AppError.unauthenticated('Token is no longer valid');
    }
    return { userId: claims.sub, tenantId: claims.tid, role: claims.role, sessionId: claims.sid };
  }

  /** Call after any change to an account's version, activity or role, or its deletion. */
  async forget(tenantId: string | undefined, userId: string): Promise<void> {
    await this.cache.del(scopeOf(tenantId), 'account-state', userId);
  }

  private async accountState(tenantId: string | undefined, userId: string): Promise<AccountState | null> {
    const scope = scopeOf(tenantId);
    const cached = await this.cache.get<AccountState | false>(scope, 'account-state', userId);
    if (cached !== undefined) return cached || null;
    let state: AccountState | false = false;
    if (tenantId) {
      const user = await this.users.inTenant(tenantId).findById(userId);
      if (user) state = { ver: user.token_version, active: user.is_active, role: user.role };
    } else {
      const admin = await this.superadmins.findById(userId);
      if (admin) state = { ver: admin.token_version, active: admin.is_active, role: 'superadmin' };
    }
    await this.cache.set(scope, 'account-state', userId, state);
    return state || null;
  }
}
