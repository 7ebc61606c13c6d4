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
 * - forgotPasswordIp: POST /auth/forgot-password per client address (429).
 * - forgotPasswordEmail: reset mails per normalised email, known or not; over the limit the
 *   request still answers 202 and sends nothing (no enumeration, no mail bombing).
 * - accountTokenIp: POST /auth/reset-password and /auth/verify-email per client address.
 * - resendVerification: verification mails per account (POST /auth/resend-verification, 429).
 */
export type RateLimitName =
  | 'loginIp'
  | 'loginAccountIp'
  | 'loginAccount'
  | 'refreshIp'
  | 'registerIp'
  | 'signupEmail'
  | 'forgotPasswordIp'
  | 'forgotPasswordEmail'
  | 'accountTokenIp'
  | 'resendVerification';

export interface RateLimitDecision {
  allowed: boolean;
  /** Points counted in the current window, this request included. */
  consumed: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}
