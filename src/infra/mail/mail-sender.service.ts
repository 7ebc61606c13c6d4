import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MasterConnection } from '../database/master-connection.service';
import { MailOutbox } from './mail-outbox.service';
import { mailOutboxDepth, mailSendFailures, mailsSent } from './mail-metrics';
import { MailStatus } from './mail-status.service';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import type { OutboxEntry } from './outbox-entry.schema';
import { OutboxRepository } from './outbox.repository';
import { renderMail } from './render';
import { isMailTemplateName } from './templates';

/** Depth is counted at most this often (counts scan on FerretDB). */
const DEPTH_EVERY_MS = 5_000;
/** A mail whose action is not confirmed yet is looked at again after this. */
const CONFIRM_RECHECK_MS = 1_000;
/** At most this many mails per wake-up before the loop yields (and re-counts the depth). */
const BATCH = 50;

/**
 * Delivers the outbox: claims one due mail at a time (OutboxRepository.claimNext + fence), sends
 * it, records the outcome. Runs in every API instance; the claim makes each mail go through one
 * sender in the normal case. See docs/mail.md for the guarantees and the crash window.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MailSender.name);
  /** This process's name in `claimed_by` (who holds a mail, for an operator reading the outbox). */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private lastDepthAt = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly repo: OutboxRepository,
    private readonly outbox: MailOutbox,
    private readonly status: MailStatus,
    private readonly master: MasterConnection,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.mail.disabled) return;
    this.unsubscribe = this.outbox.onEnqueued(() => this.poke());
    this.logger.log(`mail sender ${this.owner} started (${this.transport.kind})`);
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.poke();
    // A send in flight finishes (bounded by the SMTP timeouts); otherwise its lease lapses and
    // another instance sends it again (docs/mail.md).
    await this.loop;
    this.transport.close();
  }

  private poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.master.isOpen) await this.drain();
      } catch (err) {
        this.logger.warn(`mail outbox poll failed: ${(err as Error).message}`);
      }
      if (this.stopped) break;
      await this.sleep(this.config.mail.pollIntervalMs);
    }
  }

  /** Waits `ms`, or less when an enqueue pokes the sender. */
  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.woken = false;
        resolve();
      };
    });
  }

  private async drain(): Promise<void> {
    for (let n = 0; n < BATCH && !this.stopped; n++) {
      const now = new Date();
      const entry = await this.repo.claimNext(this.owner, now, new Date(now.getTime() + this.config.mail.leaseMs));
      if (!entry) break;
      // FerretDB workaround (see MailClaim): the claim counts only if this sender inserts the fence.
      if (!(await this.repo.fence(entry, this.owner, now))) continue;
      await this.deliver(entry);
    }
    if (Date.now() - this.lastDepthAt >= DEPTH_EVERY_MS) {
      this.lastDepthAt = Date.now();
      const depth = await this.repo.depth();
      this.status.recordDepth(depth);
      for (const [status, value] of Object.entries(depth)) mailOutboxDepth.set({ status }, value);
    }
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    if (entry.confirm && !(await this.confirmed(entry))) return;
    if (!isMailTemplateName(entry.template) || !entry.data) {
      await this.repo.finish(entry, 'dead', { last_error: `unknown template ${entry.template} or no data` });
      this.logger.error(`mail ${entry._id}: unknown template ${entry.template}; marked dead`);
      return;
    }
    try {
      const rendered = renderMail(entry.template, entry.data);
      await this.transport.send({ ...rendered, to: entry.to, id: entry._id });
    } catch (err) {
      await this.failed(entry, err);
      return;
    }
    // The window docs/mail.md describes: accepted by SMTP (250), not yet marked sent.
    this.status.recordSuccess();
    mailsSent.inc();
    if (!(await this.repo.finish(entry, 'sent', { sent_at: new Date(), last_error: null }))) {
      this.logger.warn(`mail ${entry._id} sent, but its claim had lapsed (sent past MAIL_LEASE_MS?)`);
    }
  }

  /** False (and the mail released or cancelled) while the action behind it is not confirmed. */
  private async confirmed(entry: OutboxEntry): Promise<boolean> {
    const ref = entry.confirm!;
    const check = this.outbox.confirmationFor(ref.kind);
    let ok = false;
    try {
      ok = check !== undefined && (await check({ tenantId: entry.tenant_id, id: ref.id }));
    } catch (err) {
      this.logger.warn(`mail ${entry._id}: confirming ${ref.kind} failed (${(err as Error).message}); retrying`);
    }
    if (ok) return true;
    if (check && Date.now() - new Date(entry.created_at).getTime() > this.config.mail.confirmWindowMs) {
      await this.repo.finish(entry, 'cancelled', { last_error: `${ref.kind} ${ref.id} not confirmed` });
      this.logger.log(`mail ${entry._id} cancelled: its ${ref.kind} never happened or is void`);
    } else {
      await this.repo.release(entry, {
        attempts: entry.attempts,
        next_attempt_at: new Date(Date.now() + CONFIRM_RECHECK_MS),
        last_error: entry.last_error,
      });
    }
    return false;
  }

  private async failed(entry: OutboxEntry, err: unknown): Promise<void> {
    const attempts = entry.attempts + 1;
    const e = err as Error & { responseCode?: number; code?: string };
    // A 5xx answer (no such mailbox, refused) will not change by retrying.
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
    const reason = `${e.code ?? e.name}: ${e.message}`.slice(0, 500);
    this.status.recordFailure();
    if (permanent || attempts >= this.config.mail.maxAttempts) {
      mailSendFailures.inc({ outcome: 'dead' });
      await this.repo.finish(entry, 'dead', { attempts, last_error: reason });
      this.logger.error(`mail ${entry._id} (${entry.template}) is dead after ${attempts} tries: ${reason}`);
      return;
    }
    mailSendFailures.inc({ outcome: 'retry' });
    const delay = this.backoff(attempts);
    await this.repo.release(entry, { attempts, next_attempt_at: new Date(Date.now() + delay), last_error: reason });
    this.logger.warn(`mail ${entry._id} (${entry.template}) try ${attempts} failed, next in ${delay} ms: ${reason}`);
  }

  /** base * 2^(tries-1), capped, with +-20% jitter so a fleet does not retry in step. */
  private backoff(attempts: number): number {
    const { retryBaseMs, retryMaxMs } = this.config.mail;
    const raw = Math.min(retryBaseMs * 2 ** Math.min(attempts - 1, 30), retryMaxMs);
    return Math.round(raw * (0.8 + Math.random() * 0.4));
  }
}
