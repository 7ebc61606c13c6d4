import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MailOutbox } from './mail-outbox.service';
import { MailStatus } from './mail-status.service';
import { MAIL_TRANSPORT, type MailTransport, fileTransport, smtpTransport } from './mail-transport';
import { MailClaim, MailClaimSchema, OutboxEntry, OutboxEntrySchema } from './outbox-entry.schema';
import { OutboxRepository } from './outbox.repository';

const disabledTransport: MailTransport = {
  kind: 'file',
  send: () => Promise.reject(new Error('mail is disabled')),
  close: () => undefined,
};

/**
 * The mail outbox (master database) and its transport: what any module needs to queue a mail
 * (MailOutbox) and the CLI to list dead ones. The sender that delivers runs only in the server
 * (MailSenderModule), never in a CLI command.
 */
@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: OutboxEntry.name, schema: OutboxEntrySchema },
      { name: MailClaim.name, schema: MailClaimSchema },
    ]),
  ],
  providers: [
    OutboxRepository,
    MailOutbox,
    MailStatus,
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailTransport => {
        if (config.mail.disabled) return disabledTransport;
        // Production without SMTP_URL is refused by the config (unless MAIL_DISABLED).
        if (config.mail.smtpUrl) return smtpTransport(config.mail, config.mail.smtpUrl);
        return fileTransport(config.mail, config.dataDir);
      },
    },
  ],
  exports: [OutboxRepository, MailOutbox, MailStatus, MAIL_TRANSPORT],
})
export class MailModule {}
