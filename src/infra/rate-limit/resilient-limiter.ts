import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisGate } from '../cache/redis-gate.service';
import type { RedisClient } from '../cache/redis-client';
import type { RateLimitDecision, RateLimitRule } from './rate-limit.types';

/**
 * One limit, counted atomically in Redis (rate-limiter-flexible's INCRBY + EXPIRE Lua script, so a
 * burst of parallel requests cannot all read "under the limit") and shared by every process.
 * While Redis is down (an error: the library's insurance limiter), frozen (a timeout), or absent
 * (no REDIS_URL), the same limit holds in this process's memory: an attacker gains at most a
 * factor of the process count, never an open door, and no request fails because of Redis.
 */
export class ResilientLimiter {
  private readonly memory: RateLimiterMemory;
  private readonly redis: RateLimiterRedis | null;

  constructor(
    readonly rule: RateLimitRule,
    keyPrefix: string,
    private readonly gate: RedisGate,
    client: RedisClient | null,
    private readonly timeoutMs: number,
  ) {
    const opts = { keyPrefix, points: rule.count, duration: rule.windowSeconds };
    this.memory = new RateLimiterMemory(opts);
    this.redis = client
      ? new RateLimiterRedis({
          ...opts,
          storeClient: client,
          useRedisPackage: true, // node-redis (through @keyv/redis), not ioredis
          rejectIfRedisNotReady: true, // disconnected: straight to the insurance limiter
          insuranceLimiter: this.memory,
        })
      : null;
  }

  /** Counts one point and says whether it was within the limit; never throws. */
  async consume(key: string): Promise<RateLimitDecision> {
    try {
      return decision(await this.store((l) => l.consume(key)));
    } catch (rejected) {
      if (rejected instanceof RateLimiterRes) return decision(rejected, false);
      throw rejected;
    }
  }

  /** Gives points back (a successful login refunds its own attempt). */
  async reward(key: string, points = 1): Promise<void> {
    await this.store((l) => l.reward(key, points)).catch(() => undefined);
  }

  /** Forgets the key (the address proved it knows the password). */
  async delete(key: string): Promise<void> {
    await this.store((l) => l.delete(key)).catch(() => undefined);
  }

  /** Redis when it is usable, memory otherwise; a Redis call slower than the cache timeout counts in memory. */
  private async store<T>(op: (limiter: RateLimiterRedis | RateLimiterMemory) => Promise<T>): Promise<T> {
    if (!this.redis || !this.gate.available()) return op(this.memory);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timeout');
    const timeout = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => resolve(timedOut), this.timeoutMs);
    });
    try {
      const result = await Promise.race([op(this.redis), timeout]);
      if (result !== timedOut) return result;
    } finally {
      clearTimeout(timer);
    }
    this.gate.suspend(); // frozen Redis: skip it for a moment instead of making every call wait
    return op(this.memory);
  }
}

function decision(res: RateLimiterRes, allowed = true): RateLimitDecision {
  return {
    allowed,
    consumed: res.consumedPoints,
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
