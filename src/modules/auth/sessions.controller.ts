import { Controller, Delete, Get, HttpCode, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentUser } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { SessionResponse } from '../../identity/dto/session.response';
import { OwnSessionsService } from '../../identity/sessions/own-sessions.service';

/** The caller's own sessions (every role: a superadmin's are its own, in no tenant). */
@ApiTags('auth')
@Controller('api/v1/auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: OwnSessionsService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: "The caller's live sessions",
    description:
      'One entry per session (a login and its refreshes), newest first. `last_used_at` is its last login ' +
      'or refresh; `current` marks the session of the access token making this request.',
  })
  @ApiOkResponse({ type: [SessionResponse] })
  list(@CurrentUser() principal: UserPrincipal): Promise<SessionResponse[]> {
    return this.sessions.list(principal);
  }

  @Delete(':session_id')
  @HttpCode(204)
  @Auth()
  @ApiOperation({
    summary: 'End one of the caller’s sessions',
    description:
      "Its refresh tokens die at once and its access tokens are refused from the next request. Ending the caller's " +
      'own current session works too (like logout).',
  })
  @ApiNoContentResponse({ description: 'Session ended' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: "SESSION_NOT_FOUND: not one of the caller's live sessions (another account's, ended, or malformed)",
  })
  async end(@CurrentUser() principal: UserPrincipal, @Param('session_id') sessionId: string): Promise<void> {
    await this.sessions.end(principal, sessionId);
  }
}
