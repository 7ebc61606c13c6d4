import { Injectable } from '@nestjs/common';
import { MailOutbox } from '../../infra/mail';
import { AccountMailer, type AccountMail } from './account-mailer';

/** A superadmin's mails name no tenant: "Reset your administrator password". */
const NO_TENANT_NAME = 'administrator';

/**
 * The lifecycle mails through the durable outbox: one stored row each, delivered by the sender
 * with retries. The token is issued before the row is written, so a mail never carries a token
 * that does not exist (a crash in between loses only the mail: the person asks again).
 */
@Injectable()
export class OutboxAccountMailer extends AccountMailer {
  constructor(private readonly outbox: MailOutbox) {
    super();
  }

  get enabled(): boolean {
    return this.outbox.enabled;
  }

  assertEnabled(): void {
    this.outbox.assertEnabled();
  }

  async passwordReset(mail: AccountMail): Promise<void> {
    await this.queue(mail, 'password-reset', '/reset-password');
  }

  async emailVerification(mail: AccountMail): Promise<void> {
    await this.queue(mail, 'email-verification', '/verify-email');
  }

  private async queue(
    mail: AccountMail,
    template: 'password-reset' | 'email-verification',
    path: '/reset-password' | '/verify-email',
  ): Promise<void> {
    await this.outbox.enqueue({
      to: mail.to,
      template,
      tenantId: mail.tenantId,
      data: {
        tenant_name: mail.tenantName ?? NO_TENANT_NAME,
        link: this.outbox.link(path, mail.token),
        expires_at: mail.expiresAt.toISOString(),
      },
    });
  }
}
