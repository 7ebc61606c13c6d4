import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditEvent, AuditPage, VerifyResult } from '../../../identity';

export class AuditActorResponse {
  @ApiProperty({ enum: ['user', 'api_key', 'superadmin', 'system'] })
  type!: string;

  @ApiProperty({ example: '665f1c2a9d3e4b0012345678' })
  id!: string;

  @ApiPropertyOptional({ example: 'ada@acme.example' })
  email?: string;
}

export class AuditTargetResponse {
  @ApiProperty({ example: 'user' })
  type!: string;

  @ApiProperty({ example: '665f1c2a9d3e4b0012345678' })
  id!: string;
}

export class AuditEventResponse {
  @ApiProperty({ example: '42', description: "The event's sequence number in its stream" })
  id!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;

  @ApiProperty({ type: AuditActorResponse })
  actor!: AuditActorResponse;

  @ApiProperty({ example: 'user.created' })
  action!: string;

  @ApiProperty({ type: AuditTargetResponse })
  target!: AuditTargetResponse;

  @ApiProperty({ enum: ['success', 'failure'] })
  outcome!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true })
  request_id!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { role: 'user' } })
  details!: Record<string, unknown>;
}

export class AuditEventPageResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  items!: AuditEventResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page (`?after=`), null on the last' })
  next!: string | null;
}

export class AuditVerifyResponse {
  @ApiProperty()
  valid!: boolean;

  @ApiProperty({ type: 'integer', description: 'Events checked (those after the pruning anchor)' })
  events!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The first event whose check failed' })
  first_invalid_id!: string | null;
}

export function toAuditEventResponse(e: AuditEvent): AuditEventResponse {
  const actor: AuditActorResponse = { type: e.actor.type, id: e.actor.id };
  if (e.actor.email !== undefined) actor.email = e.actor.email;
  return {
    id: String(e._id),
    at: e.at.toISOString(),
    actor,
    action: e.action,
    target: { type: e.target.type, id: e.target.id },
    outcome: e.outcome,
    ip: e.ip ?? null,
    request_id: e.request_id ?? null,
    details: e.details ?? {},
  };
}

export function toAuditPageResponse(page: AuditPage): AuditEventPageResponse {
  return { items: page.items.map(toAuditEventResponse), next: page.next };
}

/** The operator's head link stays out of the HTTP answer (API.md's shape). */
export function toVerifyResponse(r: VerifyResult): AuditVerifyResponse {
  return { valid: r.valid, events: r.events, first_invalid_id: r.first_invalid_id };
}
