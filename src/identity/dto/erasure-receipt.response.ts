import { ApiProperty } from '@nestjs/swagger';

export class ErasedDatabaseDto {
  @ApiProperty({ example: 't_6650c5d2f1a2b3c4d5e6f7a8' })
  name!: string;

  @ApiProperty({ example: 'default' })
  cluster!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  dropped_at!: string;
}

/** Exactly what the signature covers (canonical JSON: keys sorted at every depth, no whitespace). */
export class ErasureReceiptBodyDto {
  @ApiProperty({ example: 1 })
  receipt_version!: number;

  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8' })
  tenant_id!: string;

  @ApiProperty({ example: 'acme' })
  tenant_domain!: string;

  @ApiProperty({ type: [ErasedDatabaseDto] })
  databases_dropped!: ErasedDatabaseDto[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { accounts: 3, sessions: 5 },
    description:
      'Records deleted outside the tenant database, per kind (accounts, sessions, and each registered kind such as invitations or api_keys)',
  })
  deleted!: Record<string, number>;

  @ApiProperty({ type: [String], example: ['platform:tenant:6650c5d2f1a2b3c4d5e6f7a8'] })
  cache_keys_invalidated!: string[];

  @ApiProperty({ example: 2, description: 'Instances that confirmed they stopped serving the tenant' })
  instances_fenced!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  deletion_started_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  completed_at!: string;
}

export class ErasureReceiptResponse {
  @ApiProperty({ type: ErasureReceiptBodyDto })
  receipt!: ErasureReceiptBodyDto;

  @ApiProperty({ example: 'HMAC-SHA256' })
  algorithm!: string;

  @ApiProperty({ description: 'Hex HMAC-SHA256 of the canonical JSON of `receipt`', example: 'a3f1...' })
  signature!: string;

  @ApiProperty({
    description: 'Which ERASURE_RECEIPT_KEY signed it (a hash prefix, not the key)',
    example: '1f2e3d4c5b6a7980',
  })
  key_id!: string;

  @ApiProperty({ description: "Whether the signature verifies with this service's current key" })
  signature_valid!: boolean;
}
