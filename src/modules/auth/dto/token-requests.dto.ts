import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';

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

  @ApiProperty({ minLength: 8, maxLength: 128, description: 'Password policy: 8..128 chars, not a common password' })
  @IsString()
  @MaxLength(1024)
  new_password!: string;
}
