import { EmailField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsSettings } from '../../../common/validation/is-settings.validator';
import { Trim } from '../../../common/validation/transforms';
import { KnownSettings } from './known-settings.validator';

export class UpdateTenantDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(3, 100)
  name?: string;

  @EmailField({ example: 'billing@example.com', optional: true })
  email?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @OptionalField()
  @IsIn(['active', 'suspended'])
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { theme: 'dark', require_verified_email: true },
    description:
      'Free-form, except the keys the service reads: `require_verified_email` (boolean; default REQUIRE_VERIFIED_EMAIL): ' +
      'members whose address is unverified cannot log in (403 EMAIL_NOT_VERIFIED).',
  })
  @OptionalField()
  @IsSettings()
  @KnownSettings()
  settings?: Record<string, unknown>;
}
