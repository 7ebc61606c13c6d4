import { ApiProperty } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
}

export class ReadinessChecksDto {
  @ApiProperty({ enum: ['up', 'down'] })
  mongodb!: 'up' | 'down';

  @ApiProperty({ enum: ['up', 'down', 'disabled'], description: 'The cache is optional: down never fails readiness' })
  redis!: 'up' | 'down' | 'disabled';
}

export class ReadinessDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';

  @ApiProperty({ type: ReadinessChecksDto })
  checks!: ReadinessChecksDto;
}
