import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS_CLIENT } from './cache.tokens';
import type { RedisClient } from './redis-client';

/** After a Redis call times out, skip Redis for this long instead of making every call wait. */
const SUSPEND_MS = 1000;

/**
 * Whether Redis should be tried at all right now. A dead Redis fails fast (no offline queue), but
 * a frozen one (SIGSTOP, network black hole) accepts commands and never answers: without this,
 * every cache call of every request would wait the full CACHE_TIMEOUT_MS. One timeout opens the
 * gate's circuit for a second; then one call probes again.
 */
@Injectable()
export class RedisGate {
  private readonly logger = new Logger(RedisGate.name);
  private suspendedUntil = 0;
  private readonly recoveryListeners: Array<() => void> = [];
  private wasDown = false;

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient | null) {
    redis?.on('end', () => (this.wasDown = true));
    redis?.on('error', () => (this.wasDown = true));
    redis?.on('ready', () => this.markHealthy());
  }

  /** Redis answered (or reconnected): if it had been down or frozen, run the recovery listeners. */
  markHealthy(): void {
    if (!this.wasDown || !this.redis?.isReady) return;
    this.wasDown = false;
    this.logger.log('Redis is back');
    for (const listener of this.recoveryListeners) listener();
  }

  get configured(): boolean {
    return this.redis !== null;
  }

  /** Redis is configured, connected, and not under suspicion of hanging. */
  available(): boolean {
    return !!this.redis?.isReady && Date.now() >= this.suspendedUntil;
  }

  /** A call timed out: treat Redis as absent for a moment. */
  suspend(): void {
    if (Date.now() >= this.suspendedUntil)
      this.logger.warn(`Redis did not answer in time; bypassed for ${SUSPEND_MS} ms`);
    this.suspendedUntil = Date.now() + SUSPEND_MS;
    this.wasDown = true;
  }

  /** Runs after Redis comes back from an outage (invalidations made meanwhile were lost). */
  onRecovery(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  get client(): RedisClient | null {
    return this.redis;
  }
}
