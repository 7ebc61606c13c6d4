import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import type { CacheScope } from '../infra/cache/cache-keys';
import { PlatformCache } from '../infra/cache/platform-cache.service';
import { CacheEcho } from './cache-echo.service';
import type { ProfileResponse } from './dto/profile.response';
import { MembersRepository } from './members/members.repository';
import { SuperadminsRepository } from './superadmins/superadmins.repository';
import { TenantDirectory } from './tenants/tenant-directory.service';

type BaseProfile = Omit<ProfileResponse, 'tenant'>;

/**
 * GET /auth/me and /users/me: read on nearly every client start, so cached per account (tenant
 * scoped key), and combined with the cached tenant read; both are invalidated on change.
 */
@Injectable()
export class ProfileService {
  constructor(
    private readonly cache: PlatformCache,
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly tenants: TenantDirectory,
    private readonly echo: CacheEcho,
  ) {}

  async profile(principal: UserPrincipal): Promise<ProfileResponse> {
    const scope: CacheScope = principal.tenantId ? { tenantId: principal.tenantId } : { platform: true };
    // The account and its tenant are cached separately (a tenant rename touches one entry): both
    // in-process hits in steady state, answered synchronously; otherwise read in parallel.
    const reload = async () => this.cache.set(scope, 'profile', principal.userId, await this.load(principal));
    let cached = this.cache.peek<BaseProfile>(scope, 'profile', principal.userId, reload);
    let tenant = principal.tenantId ? this.tenants.readIfCached(principal.tenantId) : null;
    if (cached === undefined || tenant === undefined) {
      [cached, tenant] = await Promise.all([
        cached ?? this.cache.get<BaseProfile>(scope, 'profile', principal.userId, reload),
        tenant ?? (principal.tenantId ? this.tenants.read(principal.tenantId) : null),
      ]);
    }
    let base = cached;
    // The principal was just checked against the account's current state (role, active): a cached
    // profile that disagrees was re-cached by a read racing a change, and is reloaded.
    if (!base || base.role !== principal.role || !base.is_active) {
      base = await this.load(principal);
      await this.cache.set(scope, 'profile', principal.userId, base);
    }
    return { ...base, tenant: tenant ? { id: tenant.id, name: tenant.name, domain: tenant.domain } : null };
  }

  async forget(principal: Pick<UserPrincipal, 'tenantId' | 'userId'>): Promise<void> {
    const scope: CacheScope = principal.tenantId ? { tenantId: principal.tenantId } : { platform: true };
    await this.echo.twice(() => this.cache.del(scope, 'profile', principal.userId));
  }

  private async load(principal: UserPrincipal): Promise<BaseProfile> {
    const user = principal.tenantId ? await this.users.inTenant(principal.tenantId).findById(principal.userId) : null;
    const account = user ?? (principal.tenantId ? null : await this.superadmins.findById(principal.userId));
    if (!account) throw AppError.unauthenticated('Token is no longer valid');
    return {
      id: String(account._id),
      email: account.email,
      full_name: account.full_name ?? null,
      role: user ? user.role : 'superadmin',
      is_active: account.is_active,
      created_at: account.created_at.toISOString(),
      updated_at: account.updated_at.toISOString(),
    };
  }
}
