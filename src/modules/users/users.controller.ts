import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Principal, UserPrincipal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentPrincipal, CurrentUser } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { PageQueryDto, PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { ProfileResponse } from '../../identity/dto/profile.response';
import { UserPageResponse, UserResponse } from '../../identity/dto/user.response';
import { MembersService } from '../../identity/members/members.service';
import { ProfileService } from '../../identity/profile.service';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateMeDto, UpdateUserDto } from './dto/update-user.dto';

/** The caller's own tenant (from the token). Superadmins use /tenants/{tenant_id}/users. */
@ApiTags('users')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: MembersService,
    private readonly profiles: ProfileService,
  ) {}

  @Get()
  @Auth({ roles: ['tenant_admin'], apiKey: true })
  @ApiOperation({ summary: "List the tenant's users", description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: UserPageResponse })
  list(@Query() query: PageQueryDto): Promise<UserPageResponse> {
    return this.users.list(query);
  }

  @Post()
  @Auth({ roles: ['tenant_admin'], apiKey: true })
  @ApiOperation({ summary: 'Create a user in the tenant' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'USER_EXISTS' })
  create(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(dto);
  }

  @Get('me')
  @Auth({ roles: ['tenant_admin', 'user'] })
  @ApiOperation({ summary: "The caller's profile (same as /auth/me)" })
  @ApiOkResponse({ type: ProfileResponse })
  me(@CurrentUser() principal: UserPrincipal): Promise<ProfileResponse> {
    return this.profiles.profile(principal);
  }

  @Patch('me')
  @Auth({ roles: ['tenant_admin', 'user'] })
  @ApiOperation({ summary: "Update the caller's display name" })
  @ApiOkResponse({ type: ProfileResponse })
  async updateMe(@CurrentUser() principal: UserPrincipal, @Body() dto: UpdateMeDto): Promise<ProfileResponse> {
    await this.users.updateMe(principal, dto);
    return this.profiles.profile(principal);
  }

  @Get(':user_id')
  @Auth({ roles: ['tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Read a user (a user may read only themself)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'USER_NOT_FOUND (also for another tenant)' })
  get(@CurrentPrincipal() principal: Principal, @Param('user_id') id: string): Promise<UserResponse> {
    return this.users.get(principal, id);
  }

  @Patch(':user_id')
  @Auth({ roles: ['tenant_admin'], apiKey: true })
  @ApiOperation({ summary: 'Update a user (the last active tenant_admin cannot be demoted or deactivated)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_ADMIN' })
  update(@Param('user_id') id: string, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(id, dto);
  }

  @Delete(':user_id')
  @HttpCode(204)
  @Auth({ roles: ['tenant_admin'], apiKey: true })
  @ApiOperation({ summary: 'Delete a user (not the last active tenant_admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'USER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_ADMIN' })
  async remove(@Param('user_id') id: string): Promise<void> {
    await this.users.remove(id);
  }
}
