import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { TenantAuditController } from './tenant-audit.controller';

/** The audit log's HTTP face; the streams and the recording live in the identity core (src/identity/audit). */
@Module({
  controllers: [AuditController, TenantAuditController],
  providers: [AuditService],
})
export class AuditModule {}
