import { Injectable } from '@nestjs/common';
import { RateLimiterService, tooManyRequests } from './rate-limiter.service';

/**
 * Self-service sign-ups per normalised email (`signupEmail`), counted before the tenant is
 * provisioned, so a parallel burst for one email admits exactly the limit. The durable bound (how
 * many tenants an email may hold at all) is checked against the accounts index by the caller; this
 * limit is what holds while the burst's accounts do not exist yet.
 */
@Injectable()
export class SignupThrottle {
  constructor(private readonly limits: RateLimiterService) {}

  /** Counts the sign-up; 429 over the limit. Returns a refund for a sign-up that failed. */
  async admit(email: string): Promise<{ failed(): Promise<void> }> {
    const decision = await this.limits.hit('signupEmail', email);
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
    return { failed: () => this.limits.reward('signupEmail', email) };
  }
}
