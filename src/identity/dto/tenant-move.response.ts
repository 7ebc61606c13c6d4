import { ApiProperty } from '@nestjs/swagger';
import { MOVE_STATUSES, type MoveStatus, type TenantMove } from '../moves/tenant-move.schema';

export class TenantMoveResponse {
  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7b9' })
  id!: string;

  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8' })
  tenant_id!: string;

  @ApiProperty({ example: 'default', description: 'Source cluster' })
  from!: string;

  @ApiProperty({ example: 'eu', description: 'Target cluster' })
  to!: string;

  @ApiProperty({ enum: MOVE_STATUSES })
  status!: MoveStatus;

  @ApiProperty({ example: 1200, description: 'Documents copied so far (first pass and catch-up)' })
  copied!: number;

  @ApiProperty({ example: 1200, description: 'Documents in the source database when the copy started' })
  total!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Why the move failed (it was rolled back)' })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  started_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at!: string | null;
}

export function toTenantMoveResponse(move: TenantMove): TenantMoveResponse {
  return {
    id: String(move.move_id),
    tenant_id: String(move._id),
    from: move.from,
    to: move.to,
    status: move.status,
    copied: move.copied,
    total: move.total,
    error: move.error ?? null,
    started_at: move.started_at.toISOString(),
    finished_at: move.finished_at ? move.finished_at.toISOString() : null,
  };
}
