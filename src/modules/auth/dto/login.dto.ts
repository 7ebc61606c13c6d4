import { OptionalField } from '../../../common/validation/optional-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, MaxLength } from 'class-validator';
import { IsPlainEmailText } from '../../../common/validation/is-plain-email-text.validator';
import { NormalizeEmail, Trim } from '../../../common/validation/transforms';

/**
 * Either the OAuth2 password form (`username`, `password`, `grant_type`; extra OAuth2 fields are
 * accepted and ignored) or JSON (`email`, `password`). `tenant` is a tenant domain, needed only
 * when one email has accounts in several tenants.
 */
export class LoginDto {
  @ApiPropertyOptional({ example: 'admin@example.com', maxLength: 254, description: 'OAuth2 form field: the email' })
  @OptionalField()
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsPlainEmailText()
  username?: string;

  @ApiPropertyOptional({ example: 'admin@example.com', maxLength: 254, description: 'JSON field: the email' })
  @OptionalField()
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsPlainEmailText()
  email?: string;

  @ApiProperty({ example: 'SecurePassword123!', minLength: 1, maxLength: 1024 })
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiPropertyOptional({ enum: ['password', ''], description: 'OAuth2: `password` or empty' })
  @OptionalField()
  @IsIn(['password', ''])
  grant_type?: string;

  @ApiPropertyOptional({
    example: 'example-organization',
    maxLength: 63,
    description: 'Tenant domain, when the email is in several',
  })
  @OptionalField()
  @Trim()
  @IsString()
  @MaxLength(63)
  tenant?: string;

  @ApiPropertyOptional({ maxLength: 1024, description: 'OAuth2 form field, ignored' })
  @OptionalField()
  @IsString()
  @MaxLength(1024)
  scope?: string;

  @ApiPropertyOptional({ maxLength: 256, description: 'OAuth2 form field, ignored' })
  @OptionalField()
  @IsString()
  @MaxLength(256)
  client_id?: string;

  @ApiPropertyOptional({ maxLength: 256, description: 'OAuth2 form field, ignored' })
  @OptionalField()
  @IsString()
  @MaxLength(256)
  client_secret?: string;
}
