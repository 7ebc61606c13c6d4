import { Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from './cache.tokens';
import { RedisGate } from './redis-gate.service';
import { type RedisClient, createRedisClient } from './redis-client';
import { connectFirstAttempt } from './redis-first-connect';
import { RedisSubscriber } from './redis-subscriber.service';

const logger = new Logger('Redis');

async function redisClientFactory(config: AppConfig): Promise<RedisClient | null> {
  if (!config.redisUrl) return null;
  let lastLog = 0;
  const connectTimeoutMs = Math.max(config.cacheTimeoutMs, 500);
  const client = createRedisClient(config.redisUrl, connectTimeoutMs, (err) => {
    // Reconnect attempts fire this repeatedly while Redis is down: log at most every 10 s.
    if (Date.now() - lastLog > 10000) {
      lastLog = Date.now();
      logger.warn(`Redis unavailable, cache bypassed until it returns (${err.name})`);
    }
  });
  // Boot awaits the first attempt (bounded), then the service starts and serves with or without Redis.
  await connectFirstAttempt(client, connectTimeoutMs);
  return client;
}

/** The one shared Redis client (null when REDIS_URL is unset). */
@Module({
  providers: [
    { provide: REDIS_CLIENT, useFactory: redisClientFactory, inject: [APP_CONFIG] },
    RedisGate,
    RedisSubscriber,
  ],
  exports: [REDIS_CLIENT, RedisGate, RedisSubscriber],
})
export class RedisModule implements OnModuleDestroy {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient | null) {}

  async onModuleDestroy(): Promise<void> {
    if (!this.redis?.isOpen) return;
    // close() waits for the replies of pending commands: a Redis that never answered (frozen,
    // still in its handshake) would hold shutdown forever. Not ready: drop the socket at once.
    if (this.redis.isReady) await this.redis.close().catch(() => undefined);
    else this.redis.destroy();
  }
}
