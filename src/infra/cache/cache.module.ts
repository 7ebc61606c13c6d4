import KeyvRedis, { Keyv } from '@keyv/redis';
import type { Deserialize } from 'keyv';
import { CacheModule as NestCacheModule, type CacheOptions } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CacheInvalidation } from './cache-invalidation.service';
import { PlatformCache } from './platform-cache.service';
import { TenantCache } from './tenant-cache.service';
import { REDIS_CLIENT } from './cache.tokens';
import type { RedisClient } from './redis-client';
import { RedisModule } from './redis.module';

/** Cached values are plain JSON (see the Keyv options below). */
const jsonDeserialize: Deserialize = (data) => JSON.parse(data) as never;

/** @nestjs/cache-manager on Redis (through @keyv/redis) when REDIS_URL is set, in memory otherwise. */
@Global()
@Module({
  imports: [
    RedisModule,
    NestCacheModule.registerAsync({
      imports: [RedisModule],
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: AppConfig, client: RedisClient | null): CacheOptions => {
        // Without Redis, PlatformCache's own in-process LRU is the cache; this store stays unused.
        if (!client) return { ttl: config.cacheTtlMs };
        const store = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: false });
        // cache-manager's shutdown calls store.disconnect(), i.e. client.close(), which waits for the
        // replies of pending commands: with a Redis that never answered, shutdown would hang.
        const disconnect = store.disconnect.bind(store);
        store.disconnect = (force?: boolean) => disconnect(force === true || !client.isReady);
        // Namespaced by deployment (its master database): two deployments may share a Redis.
        const keyv = new Keyv({
          store,
          namespace: config.masterDbName,
          throwOnErrors: false,
          // Cached values are plain JSON. Keyv's default deserializer revives Buffers through a
          // reviver on every read: 8% of the CPU of GET /auth/me in a profile.
          serialize: JSON.stringify,
          deserialize: jsonDeserialize,
        });
        // Cast: our CommonJS build sees keyv's CJS typings, cache-manager (ESM) the ESM ones;
        // @nestjs/cache-manager duck-types Keyv instances, so the runtime object is accepted.
        return { ttl: config.cacheTtlMs, stores: [keyv] as unknown as CacheOptions['stores'] };
      },
    }),
  ],
  providers: [PlatformCache, TenantCache, CacheInvalidation],
  exports: [PlatformCache, TenantCache],
})
export class CacheModule {}
