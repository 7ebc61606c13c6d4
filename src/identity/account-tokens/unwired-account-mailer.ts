import { Injectable, Logger } from '@nestjs/common';
import { AccountMailer, type AccountMail } from './account-mailer';

/** Placeholder until the mail outbox is wired: logs that a mail was due (never its token). */
@Injectable()
export class UnwiredAccountMailer extends AccountMailer {
  private readonly logger = new Logger('AccountMailer');

  passwordReset(mail: AccountMail): Promise<void> {
    this.logger.warn(`password reset mail for ${mail.to} not sent: mail is not wired`);
    return Promise.resolve();
  }

  emailVerification(mail: AccountMail): Promise<void> {
    this.logger.warn(`verification mail for ${mail.to} not sent: mail is not wired`);
    return Promise.resolve();
  }
}
