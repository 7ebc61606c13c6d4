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
import type { Principal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentPrincipal } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { PageQueryDto, PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { UserPageResponse, UserResponse } from '../../identity/dto/user.response';
import { MembersService } from '../../identity/members/members.service';
import { TenantFromPath } from '../../identity/tenants/tenant-scope.guard';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';

/**
 * The Users API on an explicit tenant, for superadmins: the only path by which a superadmin's
 * request reaches a tenant database (TenantScopeGuard makes `tenant_id` the request's tenant).
 */
@ApiTags('tenants')
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND or USER_NOT_FOUND' })
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
@TenantFromPath()
@Controller('api/v1/tenants/:tenant_id/users')
export class TenantUsersController {
  constructor(private readonly users: MembersService) {}

  @Get()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "List a tenant's users", description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: UserPageResponse })
  list(@Param('tenant_id') _tenantId: string, @Query() query: PageQueryDto): Promise<UserPageResponse> {
    return this.users.list(query);
  }

  @Post()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Create a user in a tenant' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'USER_EXISTS' })
  create(@Param('tenant_id') _tenantId: string, @Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(dto);
  }

  @Get(':user_id')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "Read a tenant's user" })
  @ApiOkResponse({ type: UserResponse })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('tenant_id') _tenantId: string,
    @Param('user_id') id: string,
  ): Promise<UserResponse> {
    return this.users.get(principal, id);
  }

  @Patch(':user_id')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "Update a tenant's user" })
  @ApiOkResponse({ type: UserResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_ADMIN' })
  update(
    @Param('tenant_id') _tenantId: string,
    @Param('user_id') id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponse> {
    return this.users.update(id, dto);
  }

  @Delete(':user_id')
  @HttpCode(204)
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "Delete a tenant's user" })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'LAST_ADMIN' })
  async remove(@Param('tenant_id') _tenantId: string, @Param('user_id') id: string): Promise<void> {
    await this.users.remove(id);
  }
}
