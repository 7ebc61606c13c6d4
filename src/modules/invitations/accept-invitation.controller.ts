import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Public } from '../../common/decorators/public.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { TokenPairResponse } from '../../identity/dto/token-pair.response';
import { InvitationAcceptService } from '../../identity/invitations/invitation-accept.service';
import { RateLimitPerIp } from '../../infra/rate-limit/rate-limit.decorator';
import { AcceptInvitationDto } from './dto/accept-invitation.dto';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AcceptInvitationController {
  constructor(private readonly accept: InvitationAcceptService) {}

  @Public()
  // Creates an account (a bcrypt hash): limited like registration.
  @RateLimitPerIp('registerIp')
  @Post('accept-invitation')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation: become a member of the inviting tenant and get a token pair',
    description: 'The token comes from the link in the invitation mail; it works once.',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'INVALID_TOKEN: unknown, used, revoked or expired' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TENANT_SUSPENDED' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
  acceptInvitation(@Body() dto: AcceptInvitationDto): Promise<TokenPairResponse> {
    return this.accept.accept(dto);
  }
}
