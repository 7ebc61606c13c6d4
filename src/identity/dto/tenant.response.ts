import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../common/dto/pagination.dto';
import { MOVE_STATUSES, type MoveStatus } from '../moves/tenant-move.schema';
import type { Tenant } from '../tenants/tenant.schema';

export interface TenantMoveRef {
  id: string;
  status: MoveStatus;
}

export class TenantResponse {
  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8' })
  id!: string;

  @ApiProperty({ example: 'New Tenant' })
  name!: string;

  @ApiProperty({ example: 'new-tenant' })
  domain!: string;

  @ApiProperty({ example: 'tenant-admin@example.com' })
  email!: string;

  @ApiProperty({ enum: ['active', 'suspended'] })
  status!: 'active' | 'suspended';

  @ApiProperty({ example: 't_6650c5d2f1a2b3c4d5e6f7a8' })
  db_name!: string;

  @ApiProperty({ example: 'default', description: 'The MongoDB cluster holding its database' })
  cluster!: string;

  // Inline (not a $ref): OpenAPI 3.0 ignores `nullable` beside a $ref, and a null example fails.
  @ApiProperty({
    type: 'object',
    properties: {
      id: { type: 'string', example: '6650c5d2f1a2b3c4d5e6f7b9' },
      status: { type: 'string', enum: [...MOVE_STATUSES] },
    },
    required: ['id', 'status'],
    nullable: true,
    description: 'Its latest move between clusters (GET /tenants/{tenant_id}/move for details)',
  })
  move!: TenantMoveRef | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  settings!: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class TenantPageResponse extends PageDto {
  @ApiProperty({ type: [TenantResponse] })
  items!: TenantResponse[];
}

export function toTenantResponse(tenant: Tenant): TenantResponse {
  return {
    id: String(tenant._id),
    name: tenant.name,
    domain: tenant.domain,
    email: tenant.email,
    status: tenant.status === 'suspended' ? 'suspended' : 'active',
    db_name: tenant.db_name,
    cluster: tenant.cluster,
    move: tenant.move ? { id: tenant.move.id, status: tenant.move.status } : null,
    settings: tenant.settings ?? {},
    created_at: tenant.created_at.toISOString(),
    updated_at: tenant.updated_at.toISOString(),
  };
}
