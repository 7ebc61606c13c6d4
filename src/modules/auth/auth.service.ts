import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { DOMAIN_PATTERN, slugify } from '../../common/slug';
import { AccountMailer } from '../../identity/account-tokens/account-mailer';
import { EmailVerificationService } from '../../identity/account-tokens/email-verification.service';
import { AccountsRepository } from '../../identity/accounts/accounts.repository';
import { toTenantResponse } from '../../identity/dto/tenant.response';
import { toUserResponse } from '../../identity/dto/user.response';
import { PasswordService } from '../../identity/passwords/password.service';
import type { Superadmin } from '../../identity/superadmins/superadmin.schema';
import { SuperadminsRepository } from '../../identity/superadmins/superadmins.repository';
import { SuperadminsService } from '../../identity/superadmins/superadmins.service';
import { TenantProvisioner } from '../../identity/tenants/tenant-provisioner.service';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { SignupThrottle } from '../../infra/rate-limit/signup-throttle.service';
import type { RegisterResponse } from './dto/auth.responses';
import type { RegisterDto } from './dto/register.dto';

/** Sign-up: a new tenant with its first admin, or a superadmin (bootstrap, or by a superadmin). */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly superadmins: SuperadminsRepository,
    private readonly superadminsService: SuperadminsService,
    private readonly passwords: PasswordService,
    private readonly provisioner: TenantProvisioner,
    private readonly signups: SignupThrottle,
    private readonly accounts: AccountsRepository,
    private readonly verification: EmailVerificationService,
    private readonly mailer: AccountMailer,
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
      await this.mailVerification(String(admin._id), String(tenant._id));
      const { db_name: dbName, ...visible } = toTenantResponse(tenant);
      return {
        user: { ...toUserResponse(admin), role: 'tenant_admin' },
        // The database name is internal: a superadmin sees it (as on /tenants), a sign-up does not.
        tenant: caller?.role === 'superadmin' ? { ...visible, db_name: dbName } : visible,
      };
    } catch (err) {
      await admitted?.failed();
      throw err;
    }
  }

  /**
   * The new admin's verification link. The sign-up stands if this fails (logged): the admin can
   * ask again (POST /auth/resend-verification) or prove the address with a password reset.
   */
  private async mailVerification(userId: string, tenantId: string): Promise<void> {
    if (!this.mailer.enabled) return; // MAIL_DISABLED: nothing to send; a reset link cannot be mailed either
    try {
      await this.verification.send({ userId, tenantId });
    } catch (err) {
      this.logger.error(`verification mail for new tenant ${tenantId} not queued (${(err as Error).name})`);
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

  private async registerSuperadmin(dto: RegisterDto, caller: Principal | undefined): Promise<RegisterResponse> {
    if (caller?.role === 'superadmin') {
      return {
        user: toRegisteredSuperadmin(
          await this.superadminsService.create(dto.email, dto.password, dto.full_name ?? null),
        ),
        tenant: null,
      };
    }
    const closed = () =>
      AppError.forbidden('Superadmin bootstrap is closed: ask a superadmin', ErrorCode.SUPERADMIN_BOOTSTRAP_CLOSED);
    if (!this.config.security.allowSuperadminBootstrap) throw closed();
    this.passwords.assertAcceptable(dto.password, 'password', [dto.email, dto.full_name ?? '']);
    if ((await this.superadmins.exists()) || !(await this.superadmins.claimBootstrap())) throw closed();
    try {
      const admin = await this.superadminsService.create(dto.email, dto.password, dto.full_name ?? null);
      return { user: toRegisteredSuperadmin(admin), tenant: null };
    } catch (err) {
      await this.superadmins.releaseBootstrap();
      throw err;
    }
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
