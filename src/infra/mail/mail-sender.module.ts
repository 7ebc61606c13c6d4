import { Module } from '@nestjs/common';
import { MailSender } from './mail-sender.service';

/** The outbox's delivery loop: imported by the server (AppModule) only, not by the CLI. */
@Module({ providers: [MailSender] })
export class MailSenderModule {}
