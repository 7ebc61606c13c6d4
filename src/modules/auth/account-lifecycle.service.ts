import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../../common/auth/principal';
import { AccountMailer } from '../../identity/account-tokens/account-mailer';
import { EmailVerificationService } from '../../identity/account-tokens/email-verification.service';
import { PasswordResetService } from '../../identity/account-tokens/password-reset.service';
import { RateLimiterService, tooManyRequests } from '../../infra/rate-limit/rate-limiter.service';
import { AfterResponse } from './after-response.service';
import type { AcceptedResponse, ForgotPasswordDto } from './dto/account-lifecycle.dto';

const FORGOT_ACCEPTED: AcceptedResponse = {
  message: 'If an account matches this email, a password reset link is on its way',
};
const RESEND_ACCEPTED: AcceptedResponse = {
  message: 'If your address is not verified yet, a verification link is on its way',
};

/** The HTTP side of the mailed-link flows: what is answered, what is limited, what runs after. */
@Injectable()
export class AccountLifecycleService {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly verification: EmailVerificationService,
    private readonly limits: RateLimiterService,
    private readonly after: AfterResponse,
    private readonly mailer: AccountMailer,
  ) {}

  /**
   * The same answer, after the same work, whether or not the email has accounts: the request only
   * counts the email's limit and starts the lookup and the mails after the response. Over the
   * per-email limit nothing is sent (still 202: a 429 would be a switch to deny someone's reset
   * only when counted per address).
   */
  async forgot(dto: ForgotPasswordDto): Promise<AcceptedResponse> {
    this.mailer.assertEnabled();
    const decision = await this.limits.hit('forgotPasswordEmail', dto.email);
    if (decision.allowed) this.after.run('forgot-password', () => this.resets.request(dto.email, dto.tenant));
    return FORGOT_ACCEPTED;
  }

  reset(token: string, newPassword: string): Promise<void> {
    return this.resets.reset(token, newPassword);
  }

  verify(token: string): Promise<void> {
    return this.verification.verify(token);
  }

  /** 202 also when there is nothing to send (already verified, a superadmin); 429 past the account's limit. */
  async resend(principal: UserPrincipal): Promise<AcceptedResponse> {
    this.mailer.assertEnabled();
    const decision = await this.limits.hit('resendVerification', principal.userId);
    if (!decision.allowed) throw tooManyRequests(decision.retryAfterSeconds);
    await this.verification.send(principal);
    return RESEND_ACCEPTED;
  }
}
