import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit-trail.service';
import { CredentialsService } from '../credentials.service';
import { PasswordService } from '../passwords/password.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { AccountMailer } from './account-mailer';
import { AccountTokens } from './account-tokens.service';
import { MailableAccounts } from './mailable-accounts.service';

export const invalidToken = () =>
  new AppError(400, ErrorCode.INVALID_TOKEN, 'This link is invalid, used or expired: ask for a new one');

/** At most this many reset mails per request (one per account holding the email). */
const MAX_MAILS_PER_REQUEST = 10;

/** Forgot-password (mail a link to each account of an email) and reset-password (use it). */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly tenants: TenantsRepository,
    private readonly mailable: MailableAccounts,
    private readonly tokens: AccountTokens,
    private readonly mailer: AccountMailer,
    private readonly passwords: PasswordService,
    private readonly credentials: CredentialsService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Mails a reset link to every active account of `email` (in the tenant of that domain, when
   * given). Says nothing about what it found: the caller answers the same either way.
   */
  async request(email: string, tenantDomain: string | undefined): Promise<number> {
    let refs = await this.accounts.findByEmail(email);
    if (tenantDomain) {
      const tenant = await this.tenants.findByDomain(tenantDomain.toLowerCase());
      refs = tenant ? refs.filter((a) => a.tenant_id !== null && String(a.tenant_id) === String(tenant._id)) : [];
    }
    let sent = 0;
    for (const ref of refs.slice(0, MAX_MAILS_PER_REQUEST)) {
      const account = await this.mailable.read(ref);
      if (!account) continue;
      const { token, expiresAt } = await this.tokens.issue('password_reset', account);
      await this.mailer.passwordReset({
        to: account.email,
        token,
        expiresAt,
        fullName: account.fullName,
        tenantId: account.tenantId ? String(account.tenantId) : null,
        tenantName: account.tenantName,
      });
      sent++;
    }
    return sent;
  }

  /**
   * Sets the new password if the link is good; the password policy is checked before the link is
   * used up, so a refused password leaves the link working. Then every session and access token
   * of the account dies (CredentialsService.resetPassword), and the address counts as verified.
   */
  async reset(token: string, newPassword: string): Promise<void> {
    const pending = await this.tokens.find('password_reset', token);
    if (!pending) throw invalidToken();
    const account = await this.mailable.read({ _id: pending.accountId, tenant_id: pending.tenantId });
    if (!account) {
      await this.tokens.consume(pending);
      throw invalidToken();
    }
    this.passwords.assertAcceptable(newPassword, 'new_password', [account.email, account.fullName ?? '']);
    const hash = await this.passwords.hash(newPassword);
    if (!(await this.tokens.consume(pending))) throw invalidToken();
    const ref = {
      userId: String(account.accountId),
      tenantId: account.tenantId ? String(account.tenantId) : undefined,
    };
    if (!(await this.credentials.resetPassword(ref, hash))) throw invalidToken();
    // The actor is the account itself (the link proved its mailbox); no token in the event.
    const who = ref.tenantId ? 'user' : 'superadmin';
    await this.audit.record({
      action: 'auth.password_reset',
      actor: { type: who, id: ref.userId, email: account.email },
      target: { type: who, id: ref.userId },
      details: { sessions_revoked: true },
      tenantId: ref.tenantId ?? null,
    });
    this.logger.log(`password reset for account ${ref.userId}`);
  }
}
