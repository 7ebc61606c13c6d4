import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { UserPrincipal } from '../../common/auth/principal';
import { AcceptsForm } from '../../common/decorators/accepts-form.decorator';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentUser } from '../../common/decorators/current-principal.decorator';
import { Public } from '../../common/decorators/public.decorator';
import { RateLimitPerIp } from '../../infra/rate-limit/rate-limit.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { AuthService } from './auth.service';
import { ProfileResponse, RegisterResponse, TokenPairResponse } from './dto/auth.responses';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { ChangePasswordDto, LogoutDto, RefreshTokenDto } from './dto/token-requests.dto';
import { LoginService } from './login.service';
import { CredentialsService } from '../../identity/credentials.service';
import { ProfileService } from '../../identity/profile.service';
import { clientInfo } from '../../identity/sessions/client-info';
import { SessionService } from '../../identity/sessions/session.service';

@ApiTags('auth')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly profiles: ProfileService,
    private readonly credentials: CredentialsService,
  ) {}

  @Public()
  @RateLimitPerIp('registerIp')
  @Post('register')
  @ApiOperation({
    summary: 'Sign up: a new tenant with the caller as its tenant_admin, or the first superadmin',
    description:
      '`is_superadmin: true` works only while no superadmin exists (bootstrap), or with a superadmin bearer token.',
  })
  @ApiCreatedResponse({ type: RegisterResponse })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'SUPERADMIN_BOOTSTRAP_CLOSED or SELF_SIGNUP_DISABLED' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'TENANT_EXISTS, USER_EXISTS or EMAIL_TENANT_LIMIT' })
  register(@Body() dto: RegisterDto, @Req() req: FastifyRequest): Promise<RegisterResponse> {
    return this.auth.register(dto, req.principal);
  }

  @Public()
  @RateLimitPerIp('loginIp')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Password login (OAuth2 form or JSON)' })
  @AcceptsForm()
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'INVALID_CREDENTIALS' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'TENANT_REQUIRED: the email is in several tenants' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TENANT_SUSPENDED or ACCOUNT_DISABLED' })
  signIn(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenPairResponse> {
    return this.login.login(dto, clientInfo(req.headers['user-agent'], req.ip));
  }

  @Public()
  @RateLimitPerIp('refreshIp')
  @Post('refresh-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token: a new pair; replaying an old token revokes the session' })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({ type: ErrorBodyDto, description: 'INVALID_REFRESH_TOKEN' })
  refresh(@Body() dto: RefreshTokenDto, @Req() req: FastifyRequest): Promise<TokenPairResponse> {
    return this.sessions.refresh(dto.refresh_token, clientInfo(req.headers['user-agent'], req.ip));
  }

  @Post('logout')
  @HttpCode(204)
  @Auth()
  @ApiOperation({
    summary: 'End a session: its refresh tokens and its access tokens stop working',
    description:
      "With `refresh_token`: that token's session (if it is the caller's). Without a body, or with `{}`: " +
      "the session of the bearer access token. The ended session's access tokens are refused (401) from the next request.",
  })
  @ApiBody({ type: LogoutDto, required: false })
  @ApiNoContentResponse({ description: 'Session ended (also when the token was already dead)' })
  async logout(@CurrentUser() principal: UserPrincipal, @Body() dto: LogoutDto): Promise<void> {
    if (dto.refresh_token === undefined) await this.sessions.endCurrent(principal);
    else await this.sessions.end(dto.refresh_token, principal.userId);
  }

  @Post('logout-all')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'End every session of the caller; their access tokens stop working' })
  @ApiNoContentResponse({ description: 'All sessions ended' })
  async logoutAll(@CurrentUser() principal: UserPrincipal): Promise<void> {
    await this.credentials.logoutAll(principal);
  }

  @Get('me')
  @Auth()
  @ApiOperation({ summary: "The caller's profile" })
  @ApiOkResponse({ type: ProfileResponse })
  me(@CurrentUser() principal: UserPrincipal): Promise<ProfileResponse> {
    return this.profiles.profile(principal);
  }

  @Post('change-password')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Change password; other sessions are revoked' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'CURRENT_PASSWORD_INCORRECT' })
  async changePassword(@CurrentUser() principal: UserPrincipal, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.credentials.changePassword(principal, dto.current_password, dto.new_password);
  }
}
