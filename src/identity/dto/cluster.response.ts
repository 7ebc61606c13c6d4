import { ApiProperty } from '@nestjs/swagger';
import type { ClusterSummary } from '../tenants/tenant-placement.service';

export class ClusterResponse {
  @ApiProperty({ example: 'default' })
  name!: string;

  @ApiProperty({ example: 12, description: 'Tenants whose database lives on this cluster' })
  tenants!: number;

  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';
}

export function toClusterResponse(summary: ClusterSummary): ClusterResponse {
  return { name: summary.name, tenants: summary.tenants, status: summary.status };
}
