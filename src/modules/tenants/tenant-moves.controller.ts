import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth } from '../../common/decorators/auth.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { TenantMoveResponse } from '../../identity/dto/tenant-move.response';
import { TenantMovesService } from '../../identity/moves/tenant-moves.service';
import { MoveTenantDto } from './dto/move-tenant.dto';

@ApiTags('tenants')
@Controller('api/v1/tenants')
export class TenantMovesController {
  constructor(private readonly moves: TenantMovesService) {}

  @Post(':tenant_id/move')
  @HttpCode(202)
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({
    summary: 'Move a tenant to another cluster, live',
    description:
      'Copies its collections and indexes to the target, then fences its writes (503 TENANT_MOVING with Retry-After; reads keep working) for the catch-up, verifies per collection counts and SHA-256, switches it and drops the source. Runs in the background: poll GET .../move.',
  })
  @ApiAcceptedResponse({ type: TenantMoveResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'TENANT_MOVE_IN_PROGRESS' })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: 'VALIDATION_FAILED: unknown cluster, or the tenant is already there',
  })
  start(@Param('tenant_id') id: string, @Body() dto: MoveTenantDto): Promise<TenantMoveResponse> {
    return this.moves.start(id, dto.cluster);
  }

  @Get(':tenant_id/move')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "The tenant's latest move" })
  @ApiOkResponse({ type: TenantMoveResponse })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND or TENANT_MOVE_NOT_FOUND' })
  get(@Param('tenant_id') id: string): Promise<TenantMoveResponse> {
    return this.moves.get(id);
  }
}
