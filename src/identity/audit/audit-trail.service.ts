import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RequestContext } from '../../infra/request-context/request-context';
import { actorOf } from './audit-actor';
import type { AuditChain } from './audit-chain';
import type { AuditEvent } from './audit-event.schema';
import { auditEventsLost, auditWriteFailures } from './audit.metrics';
import type { AuditEventFields, AuditInput, AuditOrigin } from './audit.types';
import { AuditStreams } from './audit-streams.service';

/** Background retries after a failed write: 0.5 s, 1 s, 2 s, 4 s, 8 s, 16 s (about half a minute). */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16000];

/**
 * Queued (detached) events are written on a beat that runs from boot, whatever the requests do,
 * at random intervals of 5..15 s. Measured with test/user-enumeration.e2e-spec.ts: a fixed 1 s
 * period phase-locked with a client's steady cadence (known-account requests slowed, ratio 0.86);
 * a random 0.5..1.5 s one landed in most requests and spread the timings (ratios 0.79..1.22). Rare
 * beats touch few requests, and which ones is random.
 */
const BEAT_MIN_MS = 5000;
const BEAT_SPREAD_MS = 10000;

type Pending = Omit<AuditEventFields, 'seq' | 'prev_hash'>;

interface Stream {
  key: string;
  /** Resolved when written: a tenant's chain needs its cluster route, loaded on first use. */
  chain: () => Promise<AuditChain>;
}

/**
 * Records audit events. The one call every action makes, after it succeeded:
 *
 *     await this.audit.record({ action: 'user.created', target: { type: 'user', id } });
 *
 * Actor, address, request id and stream come from the request context (see AuditInput to
 * override them). Failure policy (docs/audit.md): the write is awaited; if it fails, the action
 * still stands (it already happened), the failure is logged and counted, and the event is retried
 * in the background for about half a minute; only then is it dropped, with an error log line and
 * `audit_events_lost_total`. A process exit during those retries loses the event.
 */
@Injectable()
export class AuditTrail implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditTrail.name);
  private readonly queue: Array<{ stream: Stream; event: Pending }> = [];
  /** Per stream, the tail of this process's appends (see `append`). */
  private readonly tails = new Map<string, Promise<unknown>>();
  private beat: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly streams: AuditStreams,
    private readonly context: RequestContext,
  ) {}

  record(input: AuditInput): Promise<void> {
    const ctx = this.context.current;
    return this.recordFor({ requestId: ctx?.requestId ?? null, ip: ctx?.ip ?? null }, input);
  }

  /** Like `record`, for callers outside the request context (the guards) that know the origin. */
  async recordFor(origin: AuditOrigin, input: AuditInput): Promise<void> {
    await this.write(this.stream(input.tenantId), this.build(origin, input));
  }

  /**
   * Queued, not written by the caller's request: for failed logins, whose answer must take as long
   * for a known account (which gets an event) as for an unknown email (which does not). Writing it
   * even detached right after the answer was measured to slow that answer by ~10% on a loaded
   * machine (the database's work competes for the CPU), so the queue is written on a beat of its
   * own, independent of the requests. Same retries; a process exit loses at most 15 s of queue.
   */
  recordDetached(input: AuditInput): void {
    const ctx = this.context.current;
    const origin = { requestId: ctx?.requestId ?? null, ip: ctx?.ip ?? null };
    const at = new Date();
    // Even building it waits until the answer is on its way.
    setImmediate(() =>
      this.queue.push({ stream: this.stream(input.tenantId), event: { ...this.build(origin, input), at } }),
    );
  }

  onModuleInit(): void {
    this.nextBeat();
  }

  /** The queue is written before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.beat);
    await this.drain();
  }

  /** Writes what is queued now (tests, and operators' tools that want it on disk). */
  flush(): Promise<void> {
    return this.drain();
  }

  private nextBeat(): void {
    if (this.stopped) return;
    const delay = BEAT_MIN_MS + Math.random() * BEAT_SPREAD_MS;
    this.beat = setTimeout(() => void this.drain().finally(() => this.nextBeat()), delay).unref();
  }

  private async drain(): Promise<void> {
    for (const { stream, event } of this.queue.splice(0)) await this.write(stream, event);
  }

  private build(origin: AuditOrigin, input: AuditInput): Pending {
    return {
      at: new Date(),
      actor: input.actor ?? actorOf(this.context.current?.principal),
      action: input.action,
      target: input.target,
      outcome: input.outcome ?? 'success',
      ip: origin.ip,
      request_id: origin.requestId,
      details: input.details ?? {},
    };
  }

  private async write(stream: Stream, event: Pending): Promise<void> {
    try {
      await this.append(stream, event);
    } catch (err) {
      auditWriteFailures.inc();
      this.logger.warn(`audit write of ${event.action} failed (${(err as Error).name}); retrying in the background`);
      void this.retry(stream, event);
    }
  }

  /**
   * This process's appends to one stream run one after another. Not for correctness (the chain's
   * unique seq settles any race, across processes too) but for cost: N writers racing on one tip
   * retry O(N^2) times in all (50 at once took 6.5 s on FerretDB), queued they make N inserts.
   */
  private append(stream: Stream, event: Pending): Promise<AuditEvent> {
    const run = (this.tails.get(stream.key) ?? Promise.resolve()).then(async () =>
      (await stream.chain()).append(event),
    );
    const tail = run.catch(() => undefined);
    this.tails.set(stream.key, tail);
    void tail.then(() => this.tails.get(stream.key) === tail && this.tails.delete(stream.key));
    return run;
  }

  private stream(tenantId: string | null | undefined): Stream {
    const platform = { key: 'platform', chain: () => Promise.resolve(this.streams.platform()) };
    if (tenantId === null) return platform;
    // Named explicitly (not the kit's handle) so that a background retry still means this tenant.
    const id = tenantId ?? this.context.current?.tenantId;
    return id ? { key: id, chain: () => this.streams.routedTenant(id) } : platform;
  }

  private async retry(stream: Stream, event: Pending): Promise<void> {
    for (const delay of RETRY_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      try {
        await this.append(stream, event);
        return;
      } catch {
        // next delay
      }
    }
    auditEventsLost.inc();
    // The event holds no secret by construction (ids, names, reasons): logged whole so that it
    // can be re-entered by hand.
    this.logger.error(`audit event lost after retries: ${JSON.stringify(event)}`);
  }
}
