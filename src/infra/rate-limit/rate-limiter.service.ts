import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { REDIS_CLIENT } from '../cache/cache.tokens';
import type { RedisClient } from '../cache/redis-client';
import { RedisGate } from '../cache/redis-gate.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { recordRateLimitExceeded } from '../metrics/metrics';
import type { RateLimitDecision, RateLimitName, RateLimitRule } from './rate-limit.types';
import { ResilientLimiter } from './resilient-limiter';

/**
 * The named limits of the app (rate-limit.types.ts), each a ResilientLimiter over the shared Redis
 * client. Every limit counts first and decides on the count: nothing checks and counts later.
 */
@Injectable()
export class RateLimiterService {
  private readonly limiters = new Map<RateLimitName, ResilientLimiter>();

  constructor(
    private readonly gate: RedisGate,
    @Inject(REDIS_CLIENT) private readonly client: RedisClient | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.rateLimitEnabled;
  }

  rule(name: RateLimitName): RateLimitRule {
    return this.config.rateLimits[name];
  }

  /** Counts one hit; throws 429 RATE_LIMITED with Retry-After once over the limit. */
  async consume(name: RateLimitName, subject: string): Promise<void> {
    const decision = await this.hit(name, subject);
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
  }

  /** Counts one hit and returns the decision without throwing. */
  async hit(name: RateLimitName, subject: string): Promise<RateLimitDecision> {
    if (!this.enabled) return { allowed: true, consumed: 0, retryAfterSeconds: 0 };
    const decision = await this.limiter(name).consume(subject);
    if (!decision.allowed) recordRateLimitExceeded(name);
    return decision;
  }

  async reward(name: RateLimitName, subject: string, points = 1): Promise<void> {
    if (this.enabled) await this.limiter(name).reward(subject, points);
  }

  async forget(name: RateLimitName, subject: string): Promise<void> {
    if (this.enabled) await this.limiter(name).delete(subject);
  }

  /** The Redis key of a limit's subject (for tests and operators: `redis-cli GET`). */
  redisKey(name: RateLimitName, subject: string): string {
    return `${this.prefix(name)}:${subject}`;
  }

  private prefix(name: RateLimitName): string {
    // Prefixed with the deployment (its master database): two deployments may share a Redis.
    return `${this.config.masterDbName}:rl:${name}`;
  }

  private limiter(name: RateLimitName): ResilientLimiter {
    let limiter = this.limiters.get(name);
    if (!limiter) {
      limiter = new ResilientLimiter(
        this.rule(name),
        this.prefix(name),
        this.gate,
        this.client,
        this.config.cacheTimeoutMs,
      );
      this.limiters.set(name, limiter);
    }
    return limiter;
  }
}

export function tooManyRequests(retryAfterSeconds: number): AppError {
  return new AppError(429, ErrorCode.RATE_LIMITED, 'Too many requests; retry later', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}
