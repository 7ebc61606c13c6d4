import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

export class ReadinessChecksDto {
  @ApiProperty({ enum: ['up', 'down'] })
  mongodb!: 'up' | 'down';

  @ApiProperty({ enum: ['up', 'down', 'disabled'], description: 'The cache is optional: down never fails readiness' })
  redis!: 'up' | 'down' | 'disabled';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    example: { default: 'up', eu: 'down' },
    description:
      'Each MongoDB cluster, when MONGODB_CLUSTERS names several. Only `default` (it holds the master database) fails readiness; another one down makes only its own tenants answer 503',
  })
  clusters?: Record<string, 'up' | 'down'>;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
