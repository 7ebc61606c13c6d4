/** `count` hits per `windowSeconds`, fixed window. */
export interface RateLimitRule {
  count: number;
  windowSeconds: number;
}

/**
 * - loginIp, refreshIp, registerIp: requests per client address (the route guard).
 * - loginAccountIp: login attempts per (normalised email, client address), refused over the limit.
 * - loginAccount: login attempts per normalised email from any address; over the limit they are
 *   slowed down (growing delay), never refused, so no one can lock the owner out.
 * - signupEmail: self-service sign-ups per normalised email.
 */
export type RateLimitName = 'loginIp' | 'loginAccountIp' | 'loginAccount' | 'refreshIp' | 'registerIp' | 'signupEmail';

export interface RateLimitDecision {
  allowed: boolean;
  /** Points counted in the current window, this request included. */
  consumed: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}
