import { PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
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
import type { Principal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentPrincipal } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { ListTenantsQueryDto } from './dto/list-tenants.query';
import { TenantPageResponse, TenantResponse } from '../../identity/dto/tenant.response';
import { TenantsService } from '../../identity/tenants/tenants.service';
import { UpdateTenantDto } from './dto/update-tenant.dto';

@ApiTags('tenants')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED or WEAK_PASSWORD' })
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Create a tenant, its database (with indexes) and its tenant_admin' })
  @ApiCreatedResponse({ type: TenantResponse })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'TENANT_EXISTS' })
  create(@Body() dto: CreateTenantDto): Promise<TenantResponse> {
    return this.tenants.create(dto);
  }

  @Get()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'List tenants', description: PAGINATION_DESCRIPTION })
  @ApiOkResponse({ type: TenantPageResponse })
  list(@Query() query: ListTenantsQueryDto): Promise<TenantPageResponse> {
    return this.tenants.list(query);
  }

  @Get(':tenant_id')
  @Auth({ roles: ['superadmin', 'tenant_admin', 'user'], apiKey: true })
  @ApiOperation({ summary: 'Read a tenant (superadmin: any; members: their own)' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND (also for another tenant)' })
  get(@CurrentPrincipal() principal: Principal, @Param('tenant_id') id: string): Promise<TenantResponse> {
    return this.tenants.get(principal, id);
  }

  @Patch(':tenant_id')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Update a tenant (suspending it ends its sessions)' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  update(@Param('tenant_id') id: string, @Body() dto: UpdateTenantDto): Promise<TenantResponse> {
    return this.tenants.update(id, dto);
  }

  @Put(':tenant_id')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Same as PATCH (kept for seed clients)' })
  @ApiOkResponse({ type: TenantResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  replace(@Param('tenant_id') id: string, @Body() dto: UpdateTenantDto): Promise<TenantResponse> {
    return this.tenants.update(id, dto);
  }

  @Delete(':tenant_id')
  @HttpCode(204)
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: 'Delete a tenant: its database is dropped and its tokens stop working' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description:
      'SERVICE_UNAVAILABLE: not every instance confirmed it stopped serving the tenant (a request outlived the drain time, or Redis is unreachable). Nothing was dropped; the tenant stays `deleting` (refused). Repeat the DELETE',
  })
  async remove(@Param('tenant_id') id: string): Promise<void> {
    await this.tenants.remove(id);
  }
}
