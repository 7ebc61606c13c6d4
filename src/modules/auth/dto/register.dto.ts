import { EmailField, NewPasswordField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Length } from 'class-validator';
import { Trim } from '../../../common/validation/transforms';

export class RegisterDto {
  @EmailField({ example: 'admin@example.com' })
  email!: string;

  @NewPasswordField('SecurePassword123!')
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
