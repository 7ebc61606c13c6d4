import { OptionalField } from '../../../common/validation/optional-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { NormalizeEmail, Trim } from '../../../common/validation/transforms';

export const DOMAIN_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export class CreateTenantDto {
  @ApiProperty({ minLength: 3, maxLength: 100, example: 'New Tenant' })
  @Trim()
  @IsString()
  @Length(3, 100)
  name!: string;

  @ApiProperty({ minLength: 3, maxLength: 63, pattern: DOMAIN_PATTERN.source, example: 'new-tenant' })
  @IsString()
  @Length(3, 63)
  @Matches(DOMAIN_PATTERN, { message: 'domain must be lower-case letters and digits separated by single hyphens' })
  domain!: string;

  @ApiProperty({
    example: 'tenant-admin@example.com',
    format: 'email',
    maxLength: 254,
    description: "The tenant's contact email",
  })
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({ example: 'Tenant Admin', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  admin_name!: string;

  @ApiProperty({
    example: 'Correct-Horse-Battery-9',
    minLength: 8,
    maxLength: 128,
    description: 'Password policy: 8..128 chars, not a common password',
  })
  @IsString()
  @MaxLength(1024)
  admin_password!: string;

  @ApiPropertyOptional({
    example: 'ada@example.com',
    format: 'email',
    maxLength: 254,
    description: "The admin's login email (default: `email`)",
  })
  @OptionalField()
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  admin_email?: string;
}
