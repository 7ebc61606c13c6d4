import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Types } from 'mongoose';
import { REDIS_CLIENT } from '../cache/cache.tokens';
import type { RedisClient } from '../cache/redis-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEFAULT_CLUSTER } from '../config/clusters-config';
import { MasterConnection } from '../database/master-connection.service';
import { EPOCH_POLL_MS, RoutingEpoch } from './routing-epoch';

/** Where a tenant's database lives, and whether its writes are fenced (a live move's final step). */
export interface TenantRoute {
  cluster: string;
  moving: boolean;
}

/**
 * How long a route is trusted past the last proof that it is current: its own read from the
 * master database, or the last poll of the routing epoch that found no change since that read
 * (RoutingEpoch). Changes are also pushed to every instance over Redis at once; this bounds the
 * staleness of an instance that missed the message (a move waits this long before relying on the
 * change, see TenantMover).
 */
export const ROUTE_TTL_MS = 2000;
/** Routes kept per process (a route is a few bytes; the oldest beyond this are dropped). */
const MAX_ROUTES = 100_000;

interface Entry extends TenantRoute {
  loadedAt: number;
  /** The routing epoch the route was read under (NEVER_CONFIRMED: no record, trusted for its TTL only). */
  seq: number;
}

/** A tenant without a record: it may be created (on any cluster) after this read, which no epoch tracks. */
const NEVER_CONFIRMED = -1;

/**
 * The routing of tenants to clusters: the `cluster` and `moving` fields of each tenant record,
 * cached in-process. Requests and jobs load it when they enter a tenant's context (async, at most
 * one master `_id` lookup per tenant per ROUTE_TTL_MS); connection resolution and the write fence
 * then read it synchronously. The identity core owns the record; this reads two of its fields.
 */
@Injectable()
export class TenantRouting implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TenantRouting.name);
  private readonly routes = new Map<string, Entry>();
  private readonly channel: string;
  private subscriber: RedisClient | null = null;
  private readonly epoch: RoutingEpoch;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastPollWarnAt = 0;

  constructor(
    private readonly master: MasterConnection,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = `${config.masterDbName}:tenant-route`;
    this.epoch = new RoutingEpoch(() => master.connection);
  }

  onModuleInit(): void {
    this.schedulePoll(0);
    if (!this.redis) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // the main client already logs Redis outages
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel, this.onMessage)
        .catch((err: Error) => this.logger.warn(`tenant route subscription failed (${err.name})`));
    });
    subscriber.connect().catch(() => undefined);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    if (this.subscriber?.isOpen) this.subscriber.destroy();
  }

  /** Sequential polls of the routing epoch; a failed one only lets confirmations lapse. */
  private schedulePoll(delayMs: number): void {
    if (this.stopped) return;
    this.pollTimer = setTimeout(() => {
      this.epoch
        .poll()
        .catch((err: Error) => {
          // Shutting down (the master connection closes under a poll in flight): nothing to report.
          if (this.stopped || err.name === 'MongoClientClosedError') return;
          if (Date.now() - this.lastPollWarnAt < 10000) return;
          this.lastPollWarnAt = Date.now();
          this.logger.warn(`routing epoch poll failed (${err.name}); routes are re-read every ${ROUTE_TTL_MS} ms`);
        })
        .finally(() => this.schedulePoll(EPOCH_POLL_MS));
    }, delayMs);
    this.pollTimer.unref();
  }

  private isCurrent(entry: Entry, now = Date.now()): boolean {
    return now - entry.loadedAt < ROUTE_TTL_MS || this.epoch.confirms(entry.seq, ROUTE_TTL_MS, now);
  }

  private readonly loading = new Map<string, Promise<TenantRoute>>();

  /** True when the cached route may be used without a re-read (the request path's fast check). */
  isFresh(tenantId: string): boolean {
    const entry = this.routes.get(tenantId);
    return entry !== undefined && this.isCurrent(entry);
  }

  /** Loads the route unless fresh; a master database outage rejects (503), never guesses. */
  async load(tenantId: string): Promise<TenantRoute> {
    const entry = this.routes.get(tenantId);
    if (entry && this.isCurrent(entry)) return entry;
    // One master read per tenant at a time, however many requests found the route stale together.
    let pending = this.loading.get(tenantId);
    if (!pending) {
      pending = this.read(tenantId).finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }
    return pending;
  }

  private async read(tenantId: string): Promise<TenantRoute> {
    const seq = this.epoch.seq; // before the read: a change seen meanwhile leaves this route unconfirmed
    const record = await this.master.connection
      .collection<{ _id: Types.ObjectId; cluster?: string; moving?: boolean }>('tenants')
      .findOne({ _id: new Types.ObjectId(tenantId) }, { projection: { cluster: 1, moving: 1 } });
    // No record (deleted, or never existed): the status checks refuse such a tenant; `default`
    // is only what a connection would name, and no data of another tenant lives there.
    const route = { cluster: record?.cluster ?? DEFAULT_CLUSTER, moving: record?.moving === true };
    this.remember(tenantId, route, record ? seq : NEVER_CONFIRMED);
    return route;
  }

  /** The last known route (possibly stale), or undefined if never loaded in this process. */
  peek(tenantId: string): TenantRoute | undefined {
    return this.routes.get(tenantId);
  }

  /**
   * A route changed in the master database: take it here at once, move the routing epoch (so an
   * instance that misses the message below stops trusting its routes within ROUTE_TTL_MS; a
   * failure throws, and the mover repeats its step), and push it to every other instance (they
   * take it from the message, so requests already running there see it too).
   */
  async announce(tenantId: string, route: TenantRoute): Promise<void> {
    this.remember(tenantId, route);
    await this.epoch.bump();
    if (!this.redis?.isReady) return; // other instances re-read within ROUTE_TTL_MS
    await this.redis.publish(this.channel, JSON.stringify({ tenant: tenantId, ...route })).catch(() => undefined);
  }

  private remember(tenantId: string, route: TenantRoute, seq = this.epoch.seq): void {
    this.routes.delete(tenantId);
    this.routes.set(tenantId, { cluster: route.cluster, moving: route.moving, loadedAt: Date.now(), seq });
    if (this.routes.size > MAX_ROUTES) {
      const oldest = this.routes.keys().next();
      if (!oldest.done) this.routes.delete(oldest.value);
    }
  }

  private readonly onMessage = (message: string): void => {
    try {
      const { tenant, cluster, moving } = JSON.parse(message) as {
        tenant?: unknown;
        cluster?: unknown;
        moving?: unknown;
      };
      if (typeof tenant === 'string' && typeof cluster === 'string' && typeof moving === 'boolean')
        this.remember(tenant, { cluster, moving });
    } catch {
      // Not ours: ignore.
    }
  };
}
