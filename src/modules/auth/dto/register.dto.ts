import { OptionalField } from '../../../common/validation/optional-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { NormalizeEmail, Trim } from '../../../common/validation/transforms';

export class RegisterDto {
  @ApiProperty({ example: 'admin@example.com', format: 'email', maxLength: 254 })
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({
    example: 'SecurePassword123!',
    minLength: 8,
    maxLength: 128,
    description: 'Password policy: 8..128 chars, not a common password',
  })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({
    example: 'Example Organization',
    minLength: 3,
    maxLength: 100,
    description: 'Required unless is_superadmin: creates this tenant (domain = slug of the name)',
  })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(3, 100)
  org_name?: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', minLength: 1, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Create a superadmin: only while none exists (bootstrap) or when called by a superadmin',
  })
  @OptionalField()
  @IsBoolean()
  is_superadmin?: boolean;
}
