import { OptionalField } from '../../../common/validation/optional-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { NormalizeEmail, Trim } from '../../../common/validation/transforms';

export class CreateUserDto {
  @ApiProperty({ example: 'grace@example.com', format: 'email', maxLength: 254 })
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email!: string;

  @ApiProperty({
    example: 'Correct-Horse-Battery-9',
    minLength: 8,
    maxLength: 128,
    description: 'Password policy: 8..128 chars, not a common password',
  })
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: 'Grace Hopper', minLength: 1, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;

  @ApiPropertyOptional({ enum: ['user', 'tenant_admin'], default: 'user' })
  @OptionalField()
  @IsIn(['user', 'tenant_admin'])
  role?: 'user' | 'tenant_admin';
}
