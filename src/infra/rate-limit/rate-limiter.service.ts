import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { RedisGate } from '../cache/redis-gate.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MemoryWindows } from './memory-window';
import type { RateLimitDecision, RateLimitName } from './rate-limit.types';

/**
 * Fixed-window limits shared by every process through Redis (INCR + PEXPIRE NX in one round
 * trip). When Redis is down, slow or absent, the same limits hold in memory per process: an
 * attacker gains at most a factor of the process count, never an unlimited door.
 */
@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger(RateLimiterService.name);
  private readonly memory = new MemoryWindows();

  constructor(
    private readonly gate: RedisGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one hit; throws 429 RATE_LIMITED with Retry-After once over the limit. */
  async consume(name: RateLimitName, subject: string): Promise<void> {
    const decision = await this.hit(name, subject);
    if (!decision.allowed) throw tooMany(decision.retryAfterSeconds);
  }

  /** Throws 429 if `subject` is already at its limit, without counting (e.g. failed logins). */
  async assertUnder(name: RateLimitName, subject: string): Promise<void> {
    const rule = this.config.rateLimits[name];
    if (!this.config.rateLimitEnabled) return;
    const key = this.key(name, subject);
    const fromRedis = await this.redisCount(key);
    const decision = fromRedis
      ? { allowed: fromRedis.count < rule.count, retryAfterSeconds: fromRedis.retryAfterSeconds }
      : this.memory.peek(key, rule.count);
    if (!decision.allowed) throw tooMany(decision.retryAfterSeconds);
  }

  async hit(name: RateLimitName, subject: string): Promise<RateLimitDecision> {
    if (!this.config.rateLimitEnabled) return { allowed: true, retryAfterSeconds: 0 };
    const rule = this.config.rateLimits[name];
    const key = this.key(name, subject);
    const windowMs = rule.windowSeconds * 1000;
    const shared = await this.redisHit(key, windowMs);
    if (shared) return { allowed: shared.count <= rule.count, retryAfterSeconds: shared.retryAfterSeconds };
    return this.memory.hit(key, rule.count, windowMs);
  }

  private key(name: RateLimitName, subject: string): string {
    // Prefixed with the deployment (its master database): two deployments may share a Redis.
    return `${this.config.masterDbName}:rl:${name}:${subject}`;
  }

  private async redisHit(key: string, windowMs: number): Promise<{ count: number; retryAfterSeconds: number } | null> {
    const redis = this.gate.available() ? this.gate.client : null;
    if (!redis) return null;
    const result = await this.bounded(async () => {
      const [count, , ttl] = await redis.multi().incr(key).pExpire(key, windowMs, 'NX').pTTL(key).exec();
      return { count: Number(count), retryAfterSeconds: Math.max(1, Math.ceil(Number(ttl) / 1000)) };
    });
    return result;
  }

  private async redisCount(key: string): Promise<{ count: number; retryAfterSeconds: number } | null> {
    const redis = this.gate.available() ? this.gate.client : null;
    if (!redis) return null;
    return this.bounded(async () => {
      const [count, ttl] = await redis.multi().get(key).pTTL(key).exec();
      return { count: Number(count ?? 0), retryAfterSeconds: Math.max(1, Math.ceil(Number(ttl) / 1000)) };
    });
  }

  private async bounded<T>(op: () => Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          this.gate.suspend();
          resolve(null);
        }, this.config.cacheTimeoutMs);
      });
      return await Promise.race([op(), timeout]);
    } catch (err) {
      this.logger.warn(`rate limit store unavailable, counting in memory (${(err as Error).name})`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

function tooMany(retryAfterSeconds: number): AppError {
  return new AppError(429, ErrorCode.RATE_LIMITED, 'Too many requests; retry later', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
