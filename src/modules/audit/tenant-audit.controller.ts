import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Auth } from '../../common/decorators/auth.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { TenantFromPath } from '../../identity';
import { AuditService } from './audit.service';
import { AuditEventPageResponse, AuditVerifyResponse } from './dto/audit-event.response';
import { AUDIT_LIST_DESCRIPTION, AuditQueryDto } from './dto/audit-query.dto';

/** A tenant's audit stream, for superadmins (reading it is itself a recorded tenant access). */
@ApiTags('audit')
@ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TENANT_NOT_FOUND' })
@TenantFromPath()
@Controller('api/v1/tenants/:tenant_id/audit-events')
export class TenantAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "A tenant's audit events", description: AUDIT_LIST_DESCRIPTION })
  @ApiOkResponse({ type: AuditEventPageResponse })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  list(@Param('tenant_id') _tenantId: string, @Query() query: AuditQueryDto): Promise<AuditEventPageResponse> {
    return this.audit.list(query);
  }

  @Get('verify')
  @Auth({ roles: ['superadmin'] })
  @ApiOperation({ summary: "Check a tenant's audit hash chain" })
  @ApiOkResponse({ type: AuditVerifyResponse })
  verify(@Param('tenant_id') _tenantId: string): Promise<AuditVerifyResponse> {
    return this.audit.verify();
  }
}
