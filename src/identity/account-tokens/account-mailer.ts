/** What a lifecycle mail needs: where to, the link's token, and the words around it. */
export interface AccountMail {
  to: string;
  /** The raw token (goes into the link only; never logged or stored). */
  token: string;
  fullName: string | null;
  /** The tenant the account belongs to (null for a superadmin). */
  tenantName: string | null;
}

/**
 * How the account flows hand a mail over. The implementation writes it to the durable outbox
 * (infra/mail); the flows neither build links nor wait on SMTP.
 */
export abstract class AccountMailer {
  /** `{PUBLIC_APP_URL}/reset-password?token=...` */
  abstract passwordReset(mail: AccountMail): Promise<void>;
  /** `{PUBLIC_APP_URL}/verify-email?token=...` */
  abstract emailVerification(mail: AccountMail): Promise<void>;
}
