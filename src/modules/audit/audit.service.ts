import { Injectable } from '@nestjs/common';
import { AuditLog } from '../../identity';
import { AUDIT_DEFAULT_LIMIT, type AuditQueryDto } from './dto/audit-query.dto';
import {
  type AuditEventPageResponse,
  type AuditVerifyResponse,
  toAuditPageResponse,
  toVerifyResponse,
} from './dto/audit-event.response';

/** The request's audit stream (its tenant's, or the platform's for a superadmin without one). */
@Injectable()
export class AuditService {
  constructor(private readonly log: AuditLog) {}

  async list(q: AuditQueryDto): Promise<AuditEventPageResponse> {
    const page = await this.log.list({
      action: q.action,
      actor_id: q.actor_id,
      since: q.since === undefined ? undefined : new Date(q.since),
      until: q.until === undefined ? undefined : new Date(q.until),
      after: q.after,
      limit: q.limit ?? AUDIT_DEFAULT_LIMIT,
    });
    return toAuditPageResponse(page);
  }

  async verify(): Promise<AuditVerifyResponse> {
    return toVerifyResponse(await this.log.verify());
  }
}
