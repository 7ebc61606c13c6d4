import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Length } from 'class-validator';
import { TENANT_ROLES, type TenantRole } from '../../../common/auth/principal';
import { OptionalField } from '../../../common/validation/optional-field';
import { Trim } from '../../../common/validation/transforms';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Nightly export', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ['user', 'tenant_admin'], description: 'The role the key acts with in the tenant' })
  @IsIn(TENANT_ROLES)
  role!: TenantRole;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2027-01-31T00:00:00Z',
    description: 'ISO 8601, in the future; absent: the key never expires',
  })
  @OptionalField()
  @IsISO8601({ strict: true })
  expires_at?: string;
}
