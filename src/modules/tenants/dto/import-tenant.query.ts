import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { DOMAIN_PATTERN } from '../../../common/slug';
import { OptionalField } from '../../../common/validation/optional-field';
import { Trim } from '../../../common/validation/transforms';

export class ImportTenantQueryDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 100, description: "The new tenant's name (default: the archive's)" })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(3, 100)
  name?: string;

  @ApiPropertyOptional({
    minLength: 3,
    maxLength: 63,
    pattern: DOMAIN_PATTERN.source,
    description: "The new tenant's domain (default: the archive's); taken -> 409 TENANT_EXISTS",
  })
  @OptionalField()
  @IsString()
  @Length(3, 63)
  @Matches(DOMAIN_PATTERN, { message: 'domain must be lower-case letters and digits separated by single hyphens' })
  domain?: string;

  @ApiPropertyOptional({
    maxLength: 63,
    example: 'default',
    description: 'The MongoDB cluster to create the tenant on (default: `default`); unknown -> 422',
  })
  @OptionalField()
  @IsString()
  @Length(1, 63)
  cluster?: string;
}
