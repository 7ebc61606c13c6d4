import { EmailField, NewPasswordField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { Trim } from '../../../common/validation/transforms';

export class CreateUserDto {
  @EmailField({ example: 'grace@example.com' })
  email!: string;

  @NewPasswordField('Correct-Horse-Battery-9')
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
