import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { isDuplicateKey } from '../../common/db-errors';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId } from '../../common/ids';
import { slugify } from '../../common/slug';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { SignupThrottle } from '../../infra/rate-limit/signup-throttle.service';
import { DOMAIN_PATTERN } from '../tenants/dto/create-tenant.dto';
import { toTenantResponse } from '../tenants/dto/tenant.response';
import { TenantProvisioner } from '../tenants/tenant-provisioner.service';
import { AccountsRepository } from '../users/accounts.repository';
import { toUserResponse } from '../users/dto/user.response';
import { UsersRepository } from '../users/users.repository';
import { AuthStateService } from './auth-state.service';
import type { RegisterResponse } from './dto/auth.responses';
import type { RegisterDto } from './dto/register.dto';
import type { ChangePasswordDto } from './dto/token-requests.dto';
import { PasswordService } from './password.service';
import { ProfileService } from './profile.service';
import { SessionsRepository } from './sessions.repository';
import type { Superadmin } from './superadmin.schema';
import { SuperadminsRepository } from './superadmins.repository';

@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly users: UsersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly provisioner: TenantProvisioner,
    private readonly authState: AuthStateService,
    private readonly profiles: ProfileService,
    private readonly signups: SignupThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** See API.md: superadmin bootstrap (or by a superadmin), else self-service tenant sign-up. */
  async register(dto: RegisterDto, caller: Principal | undefined): Promise<RegisterResponse> {
    if (dto.is_superadmin) return this.registerSuperadmin(dto, caller);
    if (!dto.org_name) {
      throw AppError.validation([{ field: 'org_name', message: 'org_name is required unless is_superadmin is true' }]);
    }
    if (!this.config.security.allowSelfSignup) {
      throw AppError.forbidden('Self-service sign-up is disabled', ErrorCode.SELF_SIGNUP_DISABLED);
    }
    const domain = slugify(dto.org_name);
    if (domain.length < 3 || !DOMAIN_PATTERN.test(domain)) {
      throw AppError.validation([{ field: 'org_name', message: 'org_name must contain at least 3 letters or digits' }]);
    }
    this.passwords.assertAcceptable(dto.password, 'password', [dto.email, dto.full_name ?? '']);
    // Sign-up is unauthenticated and unverified: bound the tenants one email can collect (each
    // one adds a bcrypt comparison to that email's logins). A superadmin is not bound.
    const bounded = caller?.role !== 'superadmin';
    const admitted = bounded ? await this.signups.admit(dto.email) : undefined;
    try {
      if (bounded) await this.assertSignupQuota(dto.email);
      const { tenant, admin } = await this.provisioner.provision({
        name: dto.org_name,
        domain,
        email: dto.email,
        admin: {
          email: dto.email,
          fullName: dto.full_name ?? null,
          passwordHash: await this.passwords.hash(dto.password),
        },
      });
      return { user: { ...toUserResponse(admin), role: 'tenant_admin' }, tenant: toTenantResponse(tenant) };
    } catch (err) {
      await admitted?.failed();
      throw err;
    }
  }

  private async assertSignupQuota(email: string): Promise<void> {
    const max = this.config.security.signupMaxTenantsPerEmail;
    const held = (await this.accounts.findByEmail(email)).filter((a) => a.tenant_id !== null).length;
    if (held >= max) {
      throw AppError.conflict(
        ErrorCode.EMAIL_TENANT_LIMIT,
        `This email already belongs to ${max} tenants, the most a sign-up allows; ask a tenant admin to add it instead`,
      );
    }
  }

  /** Creates a superadmin with no checks of who asks: for the env bootstrap and the CLI. */
  async createSuperadmin(email: string, password: string, fullName: string | null): Promise<Superadmin> {
    this.passwords.assertAcceptable(password, 'password', [email, fullName ?? '']);
    const id = newId();
    const passwordHash = await this.passwords.hash(password);
    try {
      await this.accounts.insert(id, email, null);
    } catch (err) {
      if (isDuplicateKey(err)) throw AppError.conflict(ErrorCode.USER_EXISTS, 'A superadmin with this email exists');
      throw err;
    }
    try {
      return await this.superadmins.insert({ _id: id, email, full_name: fullName, password_hash: passwordHash });
    } catch (err) {
      await this.accounts.remove(id);
      throw err;
    }
  }

  async logoutAll(principal: Principal): Promise<void> {
    await this.bumpVersion(principal, {});
    await this.sessions.revokeUser(principal.userId);
  }

  /** Ends every other session; the caller's own session survives through its refresh token. */
  async changePassword(principal: Principal, dto: ChangePasswordDto): Promise<void> {
    const account = principal.tenantId
      ? await this.users.forTenant(principal.tenantId).findById(principal.userId)
      : await this.superadmins.findById(principal.userId);
    if (!account) throw AppError.unauthenticated('Token is no longer valid');
    if (!(await this.passwords.verify(dto.current_password, account.password_hash))) {
      throw new AppError(400, ErrorCode.CURRENT_PASSWORD_INCORRECT, 'current_password is incorrect');
    }
    this.passwords.assertAcceptable(dto.new_password, 'new_password', [account.email, account.full_name ?? '']);
    await this.bumpVersion(principal, { password_hash: await this.passwords.hash(dto.new_password) });
    await this.sessions.revokeUser(principal.userId, principal.sessionId);
  }

  private async registerSuperadmin(dto: RegisterDto, caller: Principal | undefined): Promise<RegisterResponse> {
    if (caller?.role === 'superadmin') {
      return {
        user: toRegisteredSuperadmin(await this.createSuperadmin(dto.email, dto.password, dto.full_name ?? null)),
        tenant: null,
      };
    }
    const closed = () =>
      AppError.forbidden('Superadmin bootstrap is closed: ask a superadmin', ErrorCode.SUPERADMIN_BOOTSTRAP_CLOSED);
    if (!this.config.security.allowSuperadminBootstrap) throw closed();
    this.passwords.assertAcceptable(dto.password, 'password', [dto.email, dto.full_name ?? '']);
    if ((await this.superadmins.exists()) || !(await this.superadmins.claimBootstrap())) throw closed();
    try {
      const admin = await this.createSuperadmin(dto.email, dto.password, dto.full_name ?? null);
      return { user: toRegisteredSuperadmin(admin), tenant: null };
    } catch (err) {
      await this.superadmins.releaseBootstrap();
      throw err;
    }
  }

  private async bumpVersion(principal: Principal, set: { password_hash?: string }): Promise<void> {
    const updated = principal.tenantId
      ? await this.users.forTenant(principal.tenantId).update(principal.userId, set, true)
      : await this.superadmins.update(principal.userId, set, true);
    if (!updated) throw AppError.unauthenticated('Token is no longer valid');
    await Promise.all([this.authState.forget(principal.tenantId, principal.userId), this.profiles.forget(principal)]);
  }
}

function toRegisteredSuperadmin(admin: Superadmin): RegisterResponse['user'] {
  return {
    id: String(admin._id),
    email: admin.email,
    full_name: admin.full_name ?? null,
    role: 'superadmin',
    is_active: admin.is_active,
    created_at: admin.created_at.toISOString(),
    updated_at: admin.updated_at.toISOString(),
  };
}
