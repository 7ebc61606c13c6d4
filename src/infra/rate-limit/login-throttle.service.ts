import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RateLimiterService, tooManyRequests } from './rate-limiter.service';

/** An admitted login attempt: tell the throttle when it succeeded, so its count is given back. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * Password-guessing policy (docs/security.md, "Brute force"). Called BEFORE any bcrypt work, and
 * every limit counts the attempt before deciding, so N parallel guesses are N counted attempts:
 *
 * 1. Per (email, client address), tight: over `loginAccountIp`, 429 at that address only. The
 *    owner at another address is not affected, so one attacker address is no lockout switch.
 * 2. Per email across all addresses, loose: over `loginAccount`, every further attempt waits a
 *    growing delay (`loginSlowdown`) before its bcrypt, never a refusal: the right password still
 *    works everywhere, a distributed guesser is slowed down.
 *
 * The key is the normalised email as typed, whether or not an account has it: unknown emails are
 * counted exactly like known ones (no enumeration).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly limits: RateLimiterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async admit(email: string, clientAddress: string): Promise<LoginAttempt> {
    const pairKey = `${email}|${clientAddress}`;
    const pair = await this.limits.hit('loginAccountIp', pairKey);
    if (!pair.allowed) throw tooManyRequests(pair.retryAfterSeconds);
    const account = await this.limits.hit('loginAccount', email);
    const delayMs = this.slowdownMs(account.consumed);
    if (delayMs > 0) await sleep(delayMs);
    return {
      succeeded: async () => {
        await Promise.all([this.limits.forget('loginAccountIp', pairKey), this.limits.reward('loginAccount', email)]);
      },
    };
  }

  /**
   * Bounds the bcrypt work of one login: without `tenant`, an email held by more accounts than
   * LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT is refused before any comparison (otherwise every account's
   * hash is compared, and the response time tells how many tenants hold the email).
   */
  assertFewCandidates(accounts: number, tenantGiven: boolean): void {
    if (tenantGiven || accounts <= this.config.security.loginMaxAccountsWithoutTenant) return;
    throw new AppError(
      400,
      ErrorCode.TENANT_REQUIRED,
      'This email has accounts in several tenants: pass `tenant` (its domain)',
    );
  }

  /** 0 up to the per-account limit, then one more step per attempt over it, capped. */
  slowdownMs(consumed: number): number {
    const over = consumed - this.limits.rule('loginAccount').count;
    if (over <= 0 || !this.limits.enabled) return 0;
    const { stepMs, maxMs } = this.config.loginSlowdown;
    return Math.min(maxMs, over * stepMs);
  }
}
