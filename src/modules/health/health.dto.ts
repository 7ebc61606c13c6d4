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

  @ApiProperty({
    enum: ['up', 'down', 'disabled'],
    description:
      'Mail delivery: down after a failed try until the next success; never fails readiness (mail is retried)',
  })
  mail!: 'up' | 'down' | 'disabled';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    example: { default: 'up', eu: 'down' },
    description:
      'Each MongoDB cluster, when MONGODB_CLUSTERS names several. Only `default` (it holds the master database) fails readiness; another one down makes only its own tenants answer 503',
  })
  clusters?: Record<string, 'up' | 'down'>;

  @ApiPropertyOptional({
    enum: ['lost'],
    description:
      'Present only while Redis is up but its invalidation channel (pub/sub) is lost: the in-process cache runs on short TTLs (LOCAL_CACHE_FALLBACK_TTL_MS) until it is back. Never fails readiness',
  })
  cache_invalidation?: 'lost';
}

export class MailOutboxDepthDto {
  @ApiProperty({ example: 0, description: 'Waiting to be sent or retried' })
  pending!: number;

  @ApiProperty({ example: 0, description: 'Being sent right now' })
  sending!: number;

  @ApiProperty({ example: 0, description: 'Given up (listed by `cli mail-dead`)' })
  dead!: number;
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;

  @ApiProperty({
    type: MailOutboxDepthDto,
    description: "The outbox, as last counted by this instance's sender (every few seconds)",
  })
  mail_outbox!: MailOutboxDepthDto;
}
