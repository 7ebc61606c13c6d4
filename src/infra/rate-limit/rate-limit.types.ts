/** `count` hits per `windowSeconds`, fixed window. */
export interface RateLimitRule {
  count: number;
  windowSeconds: number;
}

export type RateLimitName = 'loginIp' | 'loginAccount' | 'refreshIp' | 'registerIp';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}
