import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { MailConfig } from '../config/mail-config';
import type { RenderedMail } from './render';

export interface OutgoingMail extends RenderedMail {
  to: string;
  /** The outbox row id, as the Message-ID's local part: a redelivery after a crash carries the same id. */
  id: string;
}

/** Where mail goes: SMTP, or .eml files in the data folder (the embedded default). */
export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  /** Resolves once the mail is accepted (SMTP 250, or the file written); rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

function messageOf(config: MailConfig, mail: OutgoingMail) {
  const host = new URL(config.publicAppUrl).hostname || 'localhost';
  return {
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<${mail.id}@${host}>`,
  };
}

/** nodemailer over SMTP_URL; one connection per mail (no pool: the sender sends one at a time). */
export function smtpTransport(config: MailConfig, smtpUrl: string): MailTransport {
  const transporter = createTransport({
    url: smtpUrl,
    connectionTimeout: config.sendTimeoutMs,
    greetingTimeout: config.sendTimeoutMs,
    socketTimeout: config.sendTimeoutMs,
    dnsTimeout: config.sendTimeoutMs,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail(messageOf(config, mail));
    },
    close: () => transporter.close(),
  };
}

/**
 * The embedded default (no SMTP_URL outside production): each mail becomes one RFC 822 `.eml`
 * file under DATA_DIR/mail (open it with any mail client, or read it: it is text), and a log line
 * names it. Same message as SMTP would carry, built by nodemailer's stream transport.
 */
export function fileTransport(config: MailConfig, dataDir: string): MailTransport {
  const dir = join(dataDir, 'mail');
  const logger = new Logger('MailFiles');
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail) {
      const info = await transporter.sendMail(messageOf(config, mail));
      await mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = join(dir, `${stamp}-${mail.id.replace(/[^A-Za-z0-9_-]/g, '_')}.eml`);
      // Written aside, then renamed: whoever watches the folder never reads half a mail.
      await writeFile(`${file}.part`, info.message as Buffer, { mode: 0o600 });
      await rename(`${file}.part`, file);
      logger.log(`mail "${mail.subject}" written to ${file}`);
    },
    close: () => transporter.close(),
  };
}
