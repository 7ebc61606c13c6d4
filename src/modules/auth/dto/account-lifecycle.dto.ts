import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { EmailField, NewPasswordField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { Trim } from '../../../common/validation/transforms';

const TOKEN_DOC = {
  minLength: 1,
  maxLength: 512,
  description: 'The `token` query parameter of the mailed link',
};

export class ForgotPasswordDto {
  @EmailField({ example: 'ada@example.com' })
  email!: string;

  @ApiPropertyOptional({
    example: 'example-organization',
    maxLength: 63,
    description: 'Tenant domain: only that tenant’s account gets a link (default: every account of the email)',
  })
  @OptionalField()
  @Trim()
  @IsString()
  @MaxLength(63)
  tenant?: string;
}

export class ResetPasswordDto {
  @ApiProperty(TOKEN_DOC)
  @IsString()
  @Length(1, 512)
  token!: string;

  @NewPasswordField()
  new_password!: string;
}

export class VerifyEmailDto {
  @ApiProperty(TOKEN_DOC)
  @IsString()
  @Length(1, 512)
  token!: string;
}

/** The one answer of forgot-password and resend-verification, whatever happened. */
export class AcceptedResponse {
  @ApiProperty({ example: 'If an account matches, a mail is on its way' })
  message!: string;
}
