import type { RateLimitDecision } from './rate-limit.types';

const MAX_KEYS = 100_000;

/**
 * In-process fixed windows: the fallback while Redis is down (limits then hold per process,
 * never not at all), and the store when REDIS_URL is unset. Bounded: expired keys are swept when
 * the map grows past MAX_KEYS.
 */
export class MemoryWindows {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  hit(key: string, limit: number, windowMs: number, now = Date.now()): RateLimitDecision {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      if (this.windows.size >= MAX_KEYS) this.sweep(now);
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { allowed: w.count <= limit, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  peek(key: string, limit: number, now = Date.now()): RateLimitDecision {
    const w = this.windows.get(key);
    if (!w || w.resetAt <= now) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: w.count < limit, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)) };
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    if (this.windows.size >= MAX_KEYS) this.windows.clear(); // under a key flood, forget rather than grow
  }
}
