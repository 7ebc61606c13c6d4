import { NewPasswordField } from '../../../common/validation/fields';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 512, description: 'The refresh token from the last login or refresh' })
  @IsString()
  @Length(1, 512)
  refresh_token!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 1024 })
  @IsString()
  @Length(1, 1024)
  current_password!: string;

  @NewPasswordField()
  new_password!: string;
}
