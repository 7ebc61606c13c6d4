import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { CLUSTER_NAME } from '../../../common/cluster-name';

export class MoveTenantDto {
  @ApiProperty({
    pattern: CLUSTER_NAME.source,
    example: 'eu',
    description: 'The target cluster (422 if not configured)',
  })
  @IsString()
  @Matches(CLUSTER_NAME, { message: 'cluster must be a cluster name ([a-z0-9-]{1,32})' })
  cluster!: string;
}
