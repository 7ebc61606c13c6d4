import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuditTrail } from '../../src/identity/audit/audit-trail.service';
import type { Response as InjectResponse } from 'light-my-request';
import type { Session } from './factories';

export interface AuditEventBody {
  id: string;
  at: string;
  actor: { type: string; id: string; email?: string };
  action: string;
  target: { type: string; id: string };
  outcome: 'success' | 'failure';
  ip: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** Every event of the caller's stream (all pages), newest first, through the API. */
export async function auditEvents(
  app: NestFastifyApplication,
  session: Session,
  query = '',
  base = '/api/v1/audit-events',
): Promise<AuditEventBody[]> {
  const events: AuditEventBody[] = [];
  let after = '';
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `${base}?limit=100${query ? `&${query}` : ''}${after ? `&after=${after}` : ''}`,
      headers: session.auth,
    });
    if (res.statusCode !== 200) throw new Error(`GET ${base}: ${res.statusCode} ${res.body}`);
    const page = res.json<{ items: AuditEventBody[]; next: string | null }>();
    events.push(...page.items);
    if (!page.next) return events;
    after = page.next;
  }
}

/**
 * The event of `action` on `targetId` that the response `res` caused (same request id). Failed
 * logins are queued, not written by their request: flushes the queue first.
 */
export async function eventOf(
  app: NestFastifyApplication,
  reader: Session,
  action: string,
  res: InjectResponse,
  targetId: string,
  base?: string,
): Promise<AuditEventBody> {
  const requestId = res.headers['x-request-id'];
  for (let attempt = 0; attempt < 50; attempt++) {
    await app.get(AuditTrail).flush(); // failed logins wait in a queue (AuditTrail.recordDetached)
    const events = await auditEvents(app, reader, `action=${action}`, base);
    const found = events.find((e) => e.request_id === requestId && e.target.id === targetId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${action} event on ${targetId} for request ${String(requestId)}`);
}
