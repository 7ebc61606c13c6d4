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
    enum: ['lost'],
    description:
      'Present only while Redis is up but its invalidation channel (pub/sub) is lost: the in-process cache runs on short TTLs (LOCAL_CACHE_FALLBACK_TTL_MS) until it is back. Never fails readiness',
  })
  cache_invalidation?: 'lost';
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
