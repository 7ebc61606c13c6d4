import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { Trim } from '../../../common/validation/transforms';

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Grace B. Hopper', minLength: 1, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;

  @ApiPropertyOptional({ enum: ['user', 'tenant_admin'] })
  @OptionalField()
  @IsIn(['user', 'tenant_admin'])
  role?: 'user' | 'tenant_admin';

  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  is_active?: boolean;
}

/** PATCH /users/me: a member may change only their display name. */
export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Grace Hopper', minLength: 1, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;
}
