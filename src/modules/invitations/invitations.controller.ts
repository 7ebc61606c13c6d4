import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentUser } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { InvitationPageResponse, InvitationResponse } from '../../identity/dto/invitation.response';
import { InvitationsService } from '../../identity/invitations/invitations.service';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { ListInvitationsQueryDto } from './dto/list-invitations.query';

/** Invitations of the caller's tenant (tenant_admin). */
@ApiTags('invitations')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({
    summary: 'Invite someone to the tenant (mails a one-time link)',
    description: 'Inviting an email with a pending invitation replaces it: the old link dies.',
  })
  @ApiCreatedResponse({ type: InvitationResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'USER_EXISTS: already a member' })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'MAIL_DISABLED' })
  create(@CurrentUser() principal: UserPrincipal, @Body() dto: CreateInvitationDto): Promise<InvitationResponse> {
    return this.invitations.create(principal, dto);
  }

  @Get()
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({ summary: "List the tenant's invitations", description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: InvitationPageResponse })
  list(@Query() query: ListInvitationsQueryDto): Promise<InvitationPageResponse> {
    return this.invitations.list(query);
  }

  @Delete(':invitation_id')
  @HttpCode(204)
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({ summary: 'Revoke an invitation (its link dies)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'INVITATION_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'INVITATION_ACCEPTED' })
  async revoke(@Param('invitation_id') id: string): Promise<void> {
    await this.invitations.revoke(id);
  }
}
