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
import { TenantFromPath } from '../../identity/tenants/tenant-scope.guard';
import { CreateInvitationDto } from './dto/create-invitation.dto';
import { ListInvitationsQueryDto } from './dto/list-invitations.query';

/** A tenant's invitations for superadmins (TenantScopeGuard makes `tenant_id` the request's tenant). */
@ApiTags('tenants')
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND or INVITATION_NOT_FOUND' })
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
@TenantFromPath()
@Controller('api/v1/tenants/:tenant_id/invitations')
export class TenantInvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Invite someone to a tenant (mails a one-time link)' })
  @ApiCreatedResponse({ type: InvitationResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'USER_EXISTS: already a member' })
  @ApiServiceUnavailableResponse({ type: ErrorBodyDto, description: 'MAIL_DISABLED' })
  create(
    @CurrentUser() principal: UserPrincipal,
    @Param('tenant_id') _tenantId: string,
    @Body() dto: CreateInvitationDto,
  ): Promise<InvitationResponse> {
    return this.invitations.create(principal, dto);
  }

  @Get()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "List a tenant's invitations", description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: InvitationPageResponse })
  list(
    @Param('tenant_id') _tenantId: string,
    @Query() query: ListInvitationsQueryDto,
  ): Promise<InvitationPageResponse> {
    return this.invitations.list(query);
  }

  @Delete(':invitation_id')
  @HttpCode(204)
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "Revoke a tenant's invitation" })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'INVITATION_ACCEPTED' })
  async revoke(@Param('tenant_id') _tenantId: string, @Param('invitation_id') id: string): Promise<void> {
    await this.invitations.revoke(id);
  }
}
