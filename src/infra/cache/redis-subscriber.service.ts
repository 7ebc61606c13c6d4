import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { REDIS_CLIENT } from './cache.tokens';
import type { RedisClient } from './redis-client';

/** A subscription refused on a ready connection (e.g. an ACL) is retried this often. */
const RETRY_MS = 1000;

type Listener = (message: string) => void;

/**
 * The one subscriber connection of this process (subscribing takes a connection of its own),
 * shared by every pub/sub user: the tenant-deletion fence and the cache invalidations.
 *
 * `live` is true only while the connection is up and every channel is subscribed: a message
 * published while it is false never reaches this process. Listeners of `onLost`/`onLive` hear the
 * transitions (the local cache uses them to fall back to short TTLs, then to drop what it may
 * have missed).
 */
@Injectable()
export class RedisSubscriber implements OnModuleDestroy {
  private readonly logger = new Logger(RedisSubscriber.name);
  private readonly channels = new Map<string, Listener>();
  private readonly lostListeners: Array<() => void> = [];
  private readonly liveListeners: Array<() => void> = [];
  private connection: RedisClient | null = null;
  private liveNow = false;
  private started = false;
  private closing = false;

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient | null) {}

  get configured(): boolean {
    return this.redis !== null;
  }

  get live(): boolean {
    return this.liveNow;
  }

  /** Call from onModuleInit (or later); the listener stays subscribed across reconnects. */
  subscribe(channel: string, listener: Listener): void {
    if (!this.redis) return;
    this.channels.set(channel, listener);
    this.start();
    const connection = this.connection;
    if (connection?.isReady) this.subscribeAll(connection);
  }

  /** Resolves once live, or after `timeoutMs` (never rejects). */
  whenLive(timeoutMs: number): Promise<void> {
    if (this.liveNow || !this.redis) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.liveListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  onLive(listener: () => void): void {
    this.liveListeners.push(listener);
  }

  onModuleDestroy(): void {
    this.closing = true; // not "lost": shutting down
    if (this.connection?.isOpen) this.connection.destroy();
  }

  private start(): void {
    if (this.started || !this.redis) return;
    this.started = true;
    const connection = this.redis.duplicate();
    this.connection = connection;
    connection.on('error', () => this.lost()); // the main client already logs Redis outages
    connection.on('end', () => this.lost());
    connection.on('reconnecting', () => this.lost());
    // (Re)subscribe whenever it becomes ready; the listeners are the same functions, so a repeated
    // subscribe adds nothing.
    connection.on('ready', () => this.subscribeAll(connection));
    connection.connect().catch(() => undefined);
  }

  private subscribeAll(connection: RedisClient): void {
    const channels = [...this.channels];
    Promise.all(channels.map(([channel, listener]) => connection.subscribe(channel, listener)))
      .then(() => {
        // Still the same, ready connection and no channel added meanwhile (that one re-runs this).
        if (!connection.isReady || this.liveNow || channels.length !== this.channels.size) return;
        this.liveNow = true;
        for (const listener of this.liveListeners) listener();
      })
      .catch((err: Error) => {
        this.logger.warn(`Redis subscription failed (${err.name}: ${err.message}); retrying`);
        this.lost();
        const retry = setTimeout(() => {
          if (connection.isReady && !this.liveNow) this.subscribeAll(connection);
        }, RETRY_MS);
        retry.unref();
      });
  }

  private lost(): void {
    if (!this.liveNow) return;
    this.liveNow = false;
    if (this.closing) return;
    this.logger.warn('Redis subscription lost: cache invalidations from other instances are not received');
    for (const listener of this.lostListeners) listener();
  }
}
