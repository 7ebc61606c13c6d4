/** What a lifecycle mail needs: where to, the link's token, and the words around it. */
export interface AccountMail {
  to: string;
  /** The raw token (goes into the link only; never logged or stored). */
  token: string;
  expiresAt: Date;
  fullName: string | null;
  /** The tenant the account belongs to (null for a superadmin). */
  tenantId: string | null;
  tenantName: string | null;
}

/**
 * How the account flows hand a mail over. The implementation (OutboxAccountMailer) writes it to
 * the durable outbox (infra/mail); the flows neither build links nor wait on SMTP.
 */
export abstract class AccountMailer {
  /** False when mail is switched off (MAIL_DISABLED). */
  abstract get enabled(): boolean;
  /** 503 MAIL_DISABLED when mail is off: for routes whose whole point is a mail. */
  abstract assertEnabled(): void;
  /** `{PUBLIC_APP_URL}/reset-password?token=...` */
  abstract passwordReset(mail: AccountMail): Promise<void>;
  /** `{PUBLIC_APP_URL}/verify-email?token=...` */
  abstract emailVerification(mail: AccountMail): Promise<void>;
}
