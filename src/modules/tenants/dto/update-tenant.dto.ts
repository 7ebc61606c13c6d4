import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { IsSettings } from '../../../common/validation/is-settings.validator';
import { NormalizeEmail, Trim } from '../../../common/validation/transforms';

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(3, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'billing@example.com', format: 'email', maxLength: 254 })
  @OptionalField()
  @NormalizeEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @OptionalField()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { theme: 'dark' } })
  @OptionalField()
  @IsSettings()
  settings?: Record<string, unknown>;
}
