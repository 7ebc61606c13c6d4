import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OutboxRepository } from './outbox.repository';
import { missingVariables } from './render';
import type { MailTemplateName } from './templates';

/** One mail to queue (see MailOutbox.enqueue). */
export interface MailRequest {
  /** One recipient address (already validated by the caller's DTO). */
  to: string;
  /** A template of src/infra/mail/templates (index.ts lists them). */
  template: MailTemplateName;
  /** A value for each of the template's `variables` (strings; escaped where needed when rendered). */
  data: Record<string, string>;
  /** The tenant the mail is about, if any (kept for logs and the confirmation). */
  tenantId?: string | null;
  /** Same key, same mail: a second enqueue with it is a no-op returning the first mail's id. */
  dedupeKey?: string;
  /**
   * The action this mail announces, when the outbox row is written BEFORE the action (the
   * recommended order, see docs/mail.md): the sender calls the confirmation registered for `kind`
   * and sends only once it answers true; if it never does within MAIL_CONFIRM_WINDOW_MS (the action
   * failed or the process died before doing it), the mail is cancelled, never sent.
   */
  confirm?: { kind: string; id: string };
}

/** Answers whether the action behind a mail happened (and the mail is still wanted). */
export type MailConfirmation = (ref: { tenantId: string | null; id: string }) => Promise<boolean>;

/**
 * The one way to send a mail: `enqueue` stores it in the master outbox (durable, one write) and
 * returns; the sender (MailSender) delivers it later with retries. A request never waits on SMTP.
 *
 *     const id = await this.outbox.enqueue({
 *       to: 'ann@example.com', template: 'invitation', tenantId,
 *       data: { tenant_name, inviter, role, link, expires_at },
 *       confirm: { kind: 'invitation', id: invitationId },   // written before the invitation
 *     });
 *
 * Stable API: enqueue, enabled, assertEnabled, registerConfirmation, link.
 */
@Injectable()
export class MailOutbox {
  private readonly logger = new Logger(MailOutbox.name);
  private readonly confirmations = new Map<string, MailConfirmation>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repo: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** False with MAIL_DISABLED=true. */
  get enabled(): boolean {
    return !this.config.mail.disabled;
  }

  /** Throws 503 MAIL_DISABLED when mail is off: call it before the action a mail must follow. */
  assertEnabled(): void {
    if (!this.enabled) {
      throw new AppError(503, ErrorCode.MAIL_DISABLED, 'Mail is disabled on this server; this action needs a mail');
    }
  }

  /** `{PUBLIC_APP_URL}{path}?token=...`: the link a mail carries. */
  link(path: `/${string}`, token: string): string {
    return `${this.config.mail.publicAppUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  /** Queues one mail; resolves with its id once it is stored (durable). 503 MAIL_DISABLED when off. */
  async enqueue(mail: MailRequest): Promise<string> {
    this.assertEnabled();
    const missing = missingVariables(mail.template, mail.data);
    if (missing.length > 0) throw new Error(`mail ${mail.template}: no value for ${missing.join(', ')}`);
    if (mail.confirm && !this.confirmations.has(mail.confirm.kind)) {
      throw new Error(`mail ${mail.template}: no confirmation registered for kind ${mail.confirm.kind}`);
    }
    const id = OutboxRepository.idFor(mail.dedupeKey, randomUUID());
    const inserted = await this.repo.insert(
      id,
      {
        to: mail.to,
        template: mail.template,
        data: mail.data,
        tenant_id: mail.tenantId ?? null,
        confirm: mail.confirm ?? null,
      },
      new Date(),
    );
    if (!inserted) this.logger.debug(`mail ${id} already queued (same dedupe key)`);
    for (const wake of this.listeners) wake();
    return id;
  }

  /** Registers the check for `confirm.kind` (a module does it at init, for the mails it queues). */
  registerConfirmation(kind: string, check: MailConfirmation): void {
    if (this.confirmations.has(kind)) throw new Error(`mail confirmation ${kind} registered twice`);
    this.confirmations.set(kind, check);
  }

  /** The sender's side. */
  confirmationFor(kind: string): MailConfirmation | undefined {
    return this.confirmations.get(kind);
  }

  /** The sender listens, to deliver at once instead of at its next poll. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
