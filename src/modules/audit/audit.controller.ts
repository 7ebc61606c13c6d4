import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth } from '../../common/decorators/auth.decorator';
import { ErrorBodyDto } from '../../common/dto/error-body.dto';
import { AuditService } from './audit.service';
import { AuditEventPageResponse, AuditVerifyResponse } from './dto/audit-event.response';
import { AUDIT_LIST_DESCRIPTION, AuditQueryDto } from './dto/audit-query.dto';

/** A tenant_admin: its tenant's stream. A superadmin: the platform stream (tenants' at /tenants/{tenant_id}/audit-events). */
@ApiTags('audit')
@Controller('api/v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Auth({ roles: ['tenant_admin', 'superadmin'] })
  @ApiOperation({
    summary: "Audit events: the tenant's (tenant_admin) or the platform's (superadmin)",
    description: AUDIT_LIST_DESCRIPTION,
  })
  @ApiOkResponse({ type: AuditEventPageResponse })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'VALIDATION_FAILED' })
  list(@Query() query: AuditQueryDto): Promise<AuditEventPageResponse> {
    return this.audit.list(query);
  }

  @Get('verify')
  @Auth({ roles: ['tenant_admin', 'superadmin'] })
  @ApiOperation({ summary: 'Check the hash chain of the same stream: an edited, deleted or inserted event breaks it' })
  @ApiOkResponse({ type: AuditVerifyResponse })
  verify(): Promise<AuditVerifyResponse> {
    return this.audit.verify();
  }
}
