import { Injectable } from '@nestjs/common';
import type { AuditEvent } from './audit-event.schema';
import type { VerifyResult } from './audit-chain';
import { AuditStreams } from './audit-streams.service';

export interface AuditQuery {
  action?: string;
  actor_id?: string;
  since?: Date;
  until?: Date;
  /** Cursor: the id (seq) of the last event of the previous page. */
  after?: number;
  limit: number;
}

export interface AuditPage {
  items: AuditEvent[];
  /** The cursor of the next page, null on the last one. */
  next: string | null;
}

/**
 * Reads the request's audit stream: a tenant_admin's tenant, a superadmin's tenant on
 * `/tenants/{tenant_id}/audit-events`, the platform stream for a superadmin on `/audit-events`.
 * No parameter names a tenant: the stream is the verified context's (AuditStreams.current).
 */
@Injectable()
export class AuditLog {
  constructor(private readonly streams: AuditStreams) {}

  async list(q: AuditQuery): Promise<AuditPage> {
    const filter: Record<string, unknown> = {};
    if (q.action !== undefined) filter.action = q.action;
    if (q.actor_id !== undefined) filter['actor.id'] = q.actor_id;
    if (q.since !== undefined || q.until !== undefined) {
      const at: Record<string, Date> = {};
      if (q.since !== undefined) at.$gte = q.since;
      if (q.until !== undefined) at.$lt = q.until;
      filter.at = at;
    }
    const rows = await this.streams.current().page(filter, q.after, q.limit + 1);
    const items = rows.slice(0, q.limit);
    return { items, next: rows.length > q.limit ? String(items[items.length - 1]._id) : null };
  }

  verify(): Promise<VerifyResult> {
    return this.streams.current().verify();
  }
}
