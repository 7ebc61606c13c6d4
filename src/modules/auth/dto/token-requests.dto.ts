import { NewPasswordField } from '../../../common/validation/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OptionalBody } from '../../../common/validation/optional-body';
import { OptionalField } from '../../../common/validation/optional-field';
import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 512, description: 'The refresh token from the last login or refresh' })
  @IsString()
  @Length(1, 512)
  refresh_token!: string;
}

/** Logout: with a refresh token, ends that token's session; without (no body, or `{}`), the caller's. */
@OptionalBody()
export class LogoutDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 512,
    description: "A refresh token of the caller's; left out: the session of the bearer access token ends",
  })
  @OptionalField()
  @IsString()
  @Length(1, 512)
  refresh_token?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 1024 })
  @IsString()
  @Length(1, 1024)
  current_password!: string;

  @NewPasswordField()
  new_password!: string;
}
