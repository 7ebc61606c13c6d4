import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from './cache.tokens';
import type { LocalCache } from './local-cache';
import type { RedisClient } from './redis-client';
import { RedisSubscriber } from './redis-subscriber.service';

/** Longest boot wait for the subscription (a reachable Redis subscribes in milliseconds). */
const BOOT_WAIT_MS = 2000;

/** Not a cache key (keys start with `t:` or `platform:`). */
const CLEAR_ALL = '*';

export type InvalidationStatus = 'live' | 'lost' | 'disabled';

/**
 * Carries cache invalidations between instances: every write or deletion of a cache entry is
 * published (the key) on a Redis channel, and every other instance drops that key from its
 * in-process cache when the message arrives, so a revocation reaches every instance's local copy
 * within the time of one PUBLISH. While the subscription is lost, messages are lost too: the local
 * cache is emptied and runs on short TTLs (PlatformCache asks `live`), and is emptied again once
 * the subscription is back (it may hold entries whose invalidation it missed).
 */
@Injectable()
export class CacheInvalidation implements OnModuleInit {
  /** Messages are `<instance> <key>`: an instance ignores its own (it already applied them). */
  private readonly instance = randomUUID();
  private readonly channel: string;
  private readonly locals: LocalCache[] = [];

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient | null,
    private readonly subscriber: RedisSubscriber,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    // Namespaced by deployment, like the cache keys: two deployments may share a Redis.
    this.channel = `${config.masterDbName}:cache-invalidate`;
    const clearAll = (): void => this.locals.forEach((local) => local.clear());
    subscriber.onLost(clearAll);
    subscriber.onLive(clearAll);
  }

  /** Boot waits (bounded) for the subscription, so readiness right after boot reports it as it is. */
  async onModuleInit(): Promise<void> {
    this.subscriber.subscribe(this.channel, this.onMessage);
    if (this.redis?.isReady) await this.subscriber.whenLive(BOOT_WAIT_MS);
  }

  /** The local caches to keep in step with the other instances. */
  attach(local: LocalCache): void {
    this.locals.push(local);
  }

  get status(): InvalidationStatus {
    if (!this.redis) return 'disabled';
    return this.subscriber.live ? 'live' : 'lost';
  }

  get live(): boolean {
    return this.subscriber.live;
  }

  /** Tells the other instances to drop `key`; resolves with how many subscribers received it. */
  async publish(key: string): Promise<number> {
    if (!this.redis) return 0;
    return this.redis.publish(this.channel, `${this.instance} ${key}`);
  }

  /** Tells the other instances to drop every local entry (this one lost invalidations). */
  async publishClear(): Promise<number> {
    return this.publish(CLEAR_ALL);
  }

  private readonly onMessage = (message: string): void => {
    const space = message.indexOf(' ');
    if (space < 0 || message.slice(0, space) === this.instance) return;
    const key = message.slice(space + 1);
    for (const local of this.locals) {
      if (key === CLEAR_ALL) local.clear();
      else local.delete(key);
    }
  };
}
