import { EmailField, NewPasswordField } from '../../../common/validation/fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CLUSTER_NAME } from '../../../common/cluster-name';
import { DOMAIN_PATTERN } from '../../../common/slug';
import { Trim } from '../../../common/validation/transforms';

export class CreateTenantDto {
  @ApiProperty({ minLength: 3, maxLength: 100, example: 'New Tenant' })
  @Trim()
  @IsString()
  @Length(3, 100)
  name!: string;

  @ApiProperty({ minLength: 3, maxLength: 63, pattern: DOMAIN_PATTERN.source, example: 'new-tenant' })
  @IsString()
  @Length(3, 63)
  @Matches(DOMAIN_PATTERN, { message: 'domain must be lower-case letters and digits separated by single hyphens' })
  domain!: string;

  @EmailField({ example: 'tenant-admin@example.com', description: "The tenant's contact email" })
  email!: string;

  @ApiProperty({ example: 'Tenant Admin', minLength: 1, maxLength: 100 })
  @Trim()
  @IsString()
  @Length(1, 100)
  admin_name!: string;

  @NewPasswordField('Correct-Horse-Battery-9')
  admin_password!: string;

  @EmailField({ example: 'ada@example.com', description: "The admin's login email (default: `email`)", optional: true })
  admin_email?: string;

  @ApiPropertyOptional({
    pattern: CLUSTER_NAME.source,
    example: 'default',
    description:
      'The MongoDB cluster to hold its database (422 if not configured); default: the one with the fewest tenants',
  })
  @IsOptional()
  @IsString()
  @Matches(CLUSTER_NAME, { message: 'cluster must be a cluster name ([a-z0-9-]{1,32})' })
  cluster?: string;
}
