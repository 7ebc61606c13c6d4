import { Injectable } from '@nestjs/common';
import type { Role } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { LifecycleError } from '../../identity/lifecycle.errors';
import { VerifiedEmailPolicy } from '../../identity/account-tokens/verified-email-policy.service';
import type { Account } from '../../identity/accounts/account.schema';
import { AuditTrail } from '../../identity/audit/audit-trail.service';
import { AccountsRepository } from '../../identity/accounts/accounts.repository';
import type { TokenPairResponse } from '../../identity/dto/token-pair.response';
import { MembersRepository } from '../../identity/members/members.repository';
import { PasswordService } from '../../identity/passwords/password.service';
import type { ClientInfo } from '../../identity/sessions/client-info';
import { SessionService } from '../../identity/sessions/session.service';
import { SuperadminsRepository } from '../../identity/superadmins/superadmins.repository';
import { TenantStatusService } from '../../identity/tenants/tenant-status.service';
import { TenantsRepository } from '../../identity/tenants/tenants.repository';
import { LoginThrottle } from '../../infra/rate-limit/login-throttle.service';
import type { LoginDto } from './dto/login.dto';

interface Credential {
  userId: string;
  email: string;
  tenantId: string | undefined;
  role: Role;
  passwordHash: string;
  active: boolean;
  tokenVersion: number;
  /** Superadmins: always true (no verification applies to them). */
  emailVerified: boolean;
}

const invalidCredentials = () => AppError.unauthenticated('Incorrect email or password', ErrorCode.INVALID_CREDENTIALS);

/**
 * Password login. Unknown email and wrong password are indistinguishable: same status and body,
 * and both pay one bcrypt comparison per candidate account (a dummy one when there is none).
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly tenants: TenantsRepository,
    private readonly tenantStatus: TenantStatusService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditTrail,
    private readonly verifiedEmail: VerifiedEmailPolicy,
  ) {}

  async login(dto: LoginDto, client: ClientInfo): Promise<TokenPairResponse> {
    const clientAddress = client.ip ?? '';
    const email = dto.email ?? dto.username;
    if (!email) throw AppError.validation([{ field: 'username', message: 'username (or email) is required' }]);
    // Counted before any bcrypt work (see LoginThrottle); only a successful login is given back.
    const admitted = await this.throttle.admit(email, clientAddress);
    const tokens = await this.attempt(email, dto, client);
    await admitted.succeeded();
    return tokens;
  }

  private async attempt(email: string, dto: LoginDto, client: ClientInfo): Promise<TokenPairResponse> {
    const candidates = await this.candidates(email, dto.tenant);
    this.throttle.assertFewCandidates(candidates.length, !!dto.tenant);
    if (candidates.length === 0) {
      // An unknown email gets no audit event (docs/audit.md): it names no account, and what was
      // typed as an email is sometimes a password.
      await this.passwords.verifyDummy(dto.password);
      throw invalidCredentials();
    }
    const known: Credential[] = [];
    const matches: Credential[] = [];
    for (const account of candidates) {
      const credential = await this.credential(account);
      const ok = credential
        ? await this.passwords.verify(dto.password, credential.passwordHash)
        : await this.passwords.verifyDummy(dto.password);
      if (credential) known.push(credential);
      if (ok && credential) matches.push(credential);
    }
    if (matches.length === 0) throw this.failed(known, 'invalid_credentials', invalidCredentials());
    if (matches.length > 1) {
      throw this.failed(
        matches,
        'tenant_required',
        new AppError(
          400,
          ErrorCode.TENANT_REQUIRED,
          'This email has accounts in several tenants: pass `tenant` (its domain)',
        ),
      );
    }
    const match = matches[0];
    if (match.tenantId && (await this.tenantStatus.status(match.tenantId)) === 'suspended') {
      throw this.failed(
        [match],
        'tenant_suspended',
        AppError.forbidden('Tenant is suspended', ErrorCode.TENANT_SUSPENDED),
      );
    }
    if (!match.active)
      throw this.failed(
        [match],
        'account_disabled',
        AppError.forbidden('Account is disabled', ErrorCode.ACCOUNT_DISABLED),
      );
    // Only now, after the password matched: an unknown email still answers INVALID_CREDENTIALS.
    if (match.tenantId && !match.emailVerified && (await this.verifiedEmail.requiredIn(match.tenantId))) {
      throw this.failed(
        [match],
        'email_not_verified',
        AppError.forbidden(
          'Verify your email address first: use the link we mailed you, or reset your password',
          LifecycleError.EMAIL_NOT_VERIFIED,
        ),
      );
    }
    const tokens = await this.sessions.start(
      { userId: match.userId, tenantId: match.tenantId, role: match.role, tokenVersion: match.tokenVersion },
      client,
    );
    await this.audit.record({ action: 'auth.login', ...this.about(match) });
    return tokens;
  }

  /**
   * A failed login of known accounts: an event in each one's stream (its tenant's, the platform's
   * for a superadmin). Queued (AuditTrail.recordDetached), so that the answer takes as long as for
   * an unknown email, which writes nothing (no account enumeration by timing). Returns `error`.
   */
  private failed(accounts: Credential[], reason: string, error: AppError): AppError {
    for (const account of accounts)
      this.audit.recordDetached({
        action: 'auth.login',
        outcome: 'failure',
        details: { reason },
        ...this.about(account),
      });
    return error;
  }

  private about(c: Credential) {
    const type = c.role === 'superadmin' ? 'superadmin' : 'user';
    return {
      actor: { type, id: c.userId, email: c.email },
      target: { type, id: c.userId },
      tenantId: c.tenantId ?? null,
    } as const;
  }

  private async candidates(email: string, tenantDomain: string | undefined): Promise<Account[]> {
    const accounts = await this.accounts.findByEmail(email);
    if (tenantDomain === undefined || tenantDomain === '') return accounts;
    const tenant = await this.tenants.findByDomain(tenantDomain.toLowerCase());
    return tenant ? accounts.filter((a) => a.tenant_id !== null && String(a.tenant_id) === String(tenant._id)) : [];
  }

  private async credential(account: Account): Promise<Credential | null> {
    const userId = String(account._id);
    if (account.tenant_id === null) {
      const admin = await this.superadmins.findById(userId);
      if (!admin) return null;
      const { password_hash, is_active, token_version } = admin;
      return {
        userId,
        email: admin.email,
        tenantId: undefined,
        role: 'superadmin',
        passwordHash: password_hash,
        active: is_active,
        tokenVersion: token_version,
        emailVerified: true,
      };
    }
    const tenantId = String(account.tenant_id);
    const status = await this.tenantStatus.status(tenantId);
    if (status !== 'active' && status !== 'suspended') return null;
    const user = await this.users.inTenant(tenantId).findById(userId);
    if (!user) return null;
    return {
      userId,
      email: user.email,
      tenantId,
      role: user.role,
      passwordHash: user.password_hash,
      active: user.is_active,
      tokenVersion: user.token_version,
      emailVerified: user.email_verified === true,
    };
  }
}
