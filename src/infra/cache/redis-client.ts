import { createClient } from '@keyv/redis';

/**
 * A Redis client that never makes a request wait on Redis: no offline queue (commands fail at
 * once while disconnected), a short connect timeout, and endless capped reconnects so the cache
 * comes back by itself. (`createKeyvNonBlocking` would turn reconnection off for good.)
 */
export function createRedisClient(url: string, connectTimeoutMs: number, onError: (err: Error) => void) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 5), 2000),
    },
  });
  // Without a listener an 'error' event would crash the process.
  client.on('error', onError);
  return client;
}

export type RedisClient = ReturnType<typeof createRedisClient>;
