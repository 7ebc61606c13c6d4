import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { UserPrincipal } from '../../common/auth/principal';
import { Auth } from '../../common/decorators/auth.decorator';
import { CurrentUser } from '../../common/decorators/current-principal.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { PageQueryDto, PAGINATION_DESCRIPTION } from '../../common/dto/pagination.dto';
import { ApiKeyPageResponse, CreatedApiKeyResponse } from '../../identity/api-keys/api-key.response';
import { ApiKeysService } from '../../identity/api-keys/api-keys.service';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

/**
 * The tenant's API keys, managed by its admins with their own (bearer) tokens: no `apiKey: true`
 * in `@Auth`, so a key can neither mint nor revoke keys (403 API_KEY_NOT_ALLOWED).
 */
@ApiTags('api-keys')
@ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({
    summary: 'Create an API key (the key is shown only in this answer)',
    description: 'The key is sent as `X-API-Key` and acts in this tenant with its role on the routes that admit keys.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@CurrentUser() principal: UserPrincipal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(principal, dto);
  }

  @Get()
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({
    summary: "List the tenant's API keys (never the keys themselves)",
    description: PAGINATION_DESCRIPTION,
  })
  @ApiOkResponse({ type: ApiKeyPageResponse })
  list(@Query() query: PageQueryDto): Promise<ApiKeyPageResponse> {
    return this.keys.list(query);
  }

  @Delete(':key_id')
  @HttpCode(204)
  @Auth({ roles: ['tenant_admin'] })
  @ApiOperation({ summary: 'Revoke an API key: refused from the next request, on every instance' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_NOT_FOUND (also for another tenant)' })
  async revoke(@Param('key_id') id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
