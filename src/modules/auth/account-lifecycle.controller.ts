import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentUser } from '../../common/decorators/current-principal.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { RateLimitPerIp } from '../../infra/rate-limit/rate-limit.decorator';
import { AccountLifecycleService } from './account-lifecycle.service';
import { AcceptedResponse, ForgotPasswordDto, ResetPasswordDto, VerifyEmailDto } from './dto/account-lifecycle.dto';

const MAIL_DISABLED = 'MAIL_DISABLED: mail is switched off on this server';
const INVALID_TOKEN = 'INVALID_TOKEN: the link is unknown, already used, replaced by a newer one, or expired';

/** Password reset and email verification by mailed link (API.md, "Account lifecycle"). */
@ApiTags('auth')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
@Controller('api/v1/auth')
export class AccountLifecycleController {
  constructor(private readonly lifecycle: AccountLifecycleService) {}

  @Public()
  @RateLimitPerIp('forgotPasswordIp')
  @Post('forgot-password')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a password reset link to each account of an email',
    description:
      'Always 202 with the same body, in the same time, whether or not the email has an account (no enumeration). ' +
      'Each active account of the email (only the one of `tenant`, when given) is mailed ' +
      '`{PUBLIC_APP_URL}/reset-password?token=...`; a newer link replaces the older. Limited per client address (429) ' +
      'and per email (past that limit nothing is mailed, still 202).',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: MAIL_DISABLED })
  forgot(@Body() dto: ForgotPasswordDto): Promise<AcceptedResponse> {
    return this.lifecycle.forgot(dto);
  }

  @Public()
  @RateLimitPerIp('accountTokenIp')
  @Post('reset-password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with a mailed reset link',
    description:
      'The link works once, until it expires (PASSWORD_RESET_TOKEN_TTL_SECONDS, default 30 min). Every session and ' +
      'access token of the account dies; the address counts as verified. A password the policy refuses (422) ' +
      'leaves the link usable.',
  })
  @ApiNoContentResponse({ description: 'Password changed; log in with it' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: INVALID_TOKEN })
  async reset(@Body() dto: ResetPasswordDto): Promise<void> {
    await this.lifecycle.reset(dto.token, dto.new_password);
  }

  @Public()
  @RateLimitPerIp('accountTokenIp')
  @Post('verify-email')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Prove an email address with a mailed verification link',
    description: 'The member’s `email_verified` becomes true. The link works once, until it expires.',
  })
  @ApiNoContentResponse({ description: 'Verified' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: INVALID_TOKEN })
  async verify(@Body() dto: VerifyEmailDto): Promise<void> {
    await this.lifecycle.verify(dto.token);
  }

  @Post('resend-verification')
  @HttpCode(202)
  @Auth()
  @ApiOperation({
    summary: 'Mail a new verification link to the caller',
    description:
      'Replaces the previous link. Nothing is sent when the address is already verified (or for a superadmin); ' +
      'the answer is the same.',
  })
  @ApiAcceptedResponse({ type: AcceptedResponse })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'RATE_LIMITED, with Retry-After (seconds)' })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: MAIL_DISABLED })
  resend(@CurrentUser() principal: UserPrincipal): Promise<AcceptedResponse> {
    return this.lifecycle.resend(principal);
  }
}
