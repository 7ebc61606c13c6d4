import { ApiProperty } from '@nestjs/swagger';
import type { TenantRole } from '../../common/auth/principal';
import { PageDto } from '../../common/dto/pagination.dto';
import type { ApiKey } from './api-key.schema';

/** A key as lists show it: never the secret, never its hash. */
export class ApiKeyResponse {
  @ApiProperty({ example: '665f1c2e9b1e8a3d4c5b6a79' })
  id!: string;

  @ApiProperty({ example: 'Nightly export' })
  name!: string;

  @ApiProperty({ enum: ['user', 'tenant_admin'] })
  role!: TenantRole;

  @ApiProperty({ example: 'mtk_3f9a1c0b', description: 'The visible start of the key, to tell keys apart' })
  prefix!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  expires_at!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Last use, written at most once a minute per instance (so up to a minute behind); null: never used',
  })
  last_used_at!: string | null;
}

/** The answer to a creation: the only time the key itself is shown. */
export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    example: 'mtk_3f9a1c0b_Yq3l0cC8W1k1vJ9o6iH4mXz2nR7tS5uA0bE8dF6gH2k',
    description: 'The key, sent as `X-API-Key`. Shown only in this answer: store it now',
  })
  key!: string;
}

export class ApiKeyPageResponse extends PageDto {
  @ApiProperty({ type: [ApiKeyResponse] })
  items!: ApiKeyResponse[];
}

export function toApiKeyResponse(k: ApiKey): ApiKeyResponse {
  return {
    id: String(k.key_id),
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    created_at: k.created_at.toISOString(),
    expires_at: k.expires_at ? k.expires_at.toISOString() : null,
    last_used_at: k.last_used_at ? k.last_used_at.toISOString() : null,
  };
}
