import type { EnvReader } from './env-reader';

/** Mail delivery settings (see docs/mail.md and the README's Configuration table). */
export interface MailConfig {
  /** MAIL_DISABLED=true: no mail at all; routes that must send one answer 503 MAIL_DISABLED. */
  disabled: boolean;
  /** SMTP_URL (smtp:// or smtps://). Unset outside production: mails are written as .eml files under DATA_DIR/mail. */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the From header. */
  from: string;
  /** PUBLIC_APP_URL: base of the links in mails (no trailing slash). */
  publicAppUrl: string;
  /** The sender looks for due mails this often (and at once after an enqueue in this process). */
  pollIntervalMs: number;
  /** Backoff after a failed try: base * 2^(tries-1), capped at retryMaxMs, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** After this many failed tries a mail is `dead` (listed by `cli mail-dead`). */
  maxAttempts: number;
  /** A claimed mail that is neither sent nor released within this is claimable again (crashed sender). */
  leaseMs: number;
  /** SMTP connection/greeting/socket timeouts. */
  sendTimeoutMs: number;
  /** A mail queued before its action (MailRequest.confirm) is cancelled if the action is not confirmed within this. */
  confirmWindowMs: number;
}

export function parseMailConfig(r: EnvReader, production: boolean, port: number): MailConfig {
  const disabled = r.bool('MAIL_DISABLED', false);
  const smtpUrl = r.url('SMTP_URL', ['smtp:', 'smtps:']);
  if (production && !disabled && !r.raw('SMTP_URL')) {
    r.problems.push('SMTP_URL is required in production (or set MAIL_DISABLED=true to run without mail)');
  }
  const from = r.string('MAIL_FROM', 'Multi-tenant backend <no-reply@localhost>');
  if (/[\r\n]/.test(from)) r.problems.push('MAIL_FROM must be one line');
  const publicAppUrl = (r.url('PUBLIC_APP_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const retryBaseMs = r.int('MAIL_RETRY_BASE_MS', 10_000, 10, 3_600_000);
  const retryMaxMs = r.int('MAIL_RETRY_MAX_MS', 30 * 60_000, 10, 86_400_000);
  if (retryMaxMs < retryBaseMs) r.problems.push('MAIL_RETRY_MAX_MS must be at least MAIL_RETRY_BASE_MS');
  const leaseMs = r.int('MAIL_LEASE_MS', 60_000, 500, 3_600_000);
  const sendTimeoutMs = r.int('MAIL_SEND_TIMEOUT_MS', 20_000, 100, 300_000);
  // One send waits at most connect + greeting + a socket timeout: the lease must cover it, or a
  // slow (not dead) sender's mail is claimed by another instance and sent twice.
  if (leaseMs < 3 * sendTimeoutMs) {
    r.problems.push(`MAIL_LEASE_MS (${leaseMs}) must be at least 3 x MAIL_SEND_TIMEOUT_MS (${sendTimeoutMs})`);
  }
  return {
    disabled,
    smtpUrl,
    from,
    publicAppUrl,
    pollIntervalMs: r.int('MAIL_POLL_INTERVAL_MS', 2000, 20, 600_000),
    retryBaseMs,
    retryMaxMs,
    maxAttempts: r.int('MAIL_MAX_ATTEMPTS', 8, 1, 100),
    leaseMs,
    sendTimeoutMs,
    confirmWindowMs: r.int('MAIL_CONFIRM_WINDOW_MS', 60_000, 100, 3_600_000),
  };
}
