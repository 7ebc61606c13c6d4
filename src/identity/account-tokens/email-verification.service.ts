import { Injectable } from '@nestjs/common';
import { toObjectId } from '../../common/ids';
import { AuditTrail } from '../audit/audit-trail.service';
import { MembersRepository } from '../members/members.repository';
import { AccountMailer } from './account-mailer';
import { AccountTokens } from './account-tokens.service';
import { type MailableAccount, MailableAccounts } from './mailable-accounts.service';
import { invalidToken } from './password-reset.service';

/** Email verification of tenant members: the mailed link, and its use. */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly users: MembersRepository,
    private readonly mailable: MailableAccounts,
    private readonly tokens: AccountTokens,
    private readonly mailer: AccountMailer,
    private readonly audit: AuditTrail,
  ) {}

  /** Mails a fresh link (the older one dies). Nothing for a superadmin or an already verified member. */
  async send(member: { userId: string; tenantId: string | undefined }): Promise<boolean> {
    if (!member.tenantId) return false;
    const account = await this.mailable.read({
      _id: toObjectId(member.userId),
      tenant_id: toObjectId(member.tenantId),
    });
    if (!account || account.emailVerified) return false;
    await this.mail(account);
    return true;
  }

  /** The member's address is proven: `email_verified` becomes true. */
  async verify(token: string): Promise<void> {
    const pending = await this.tokens.find('email_verification', token);
    if (!pending?.tenantId) throw invalidToken();
    if (!(await this.tokens.consume(pending))) throw invalidToken();
    const updated = await this.users
      .inTenant(pending.tenantId)
      .update(String(pending.accountId), { email_verified: true }, false);
    if (!updated) throw invalidToken();
    const member = String(pending.accountId);
    await this.audit.record({
      action: 'user.email_verified',
      actor: { type: 'user', id: member },
      target: { type: 'user', id: member },
      tenantId: String(pending.tenantId),
    });
  }

  private async mail(account: MailableAccount): Promise<void> {
    const { token, expiresAt } = await this.tokens.issue('email_verification', account);
    await this.mailer.emailVerification({
      to: account.email,
      token,
      expiresAt,
      fullName: account.fullName,
      tenantId: account.tenantId ? String(account.tenantId) : null,
      tenantName: account.tenantName,
    });
  }
}
