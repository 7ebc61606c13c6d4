import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { EmailField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { Trim } from '../../../common/validation/transforms';

export class CreateInvitationDto {
  @EmailField({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ enum: ['user', 'tenant_admin'] })
  @IsIn(['user', 'tenant_admin'])
  role!: 'user' | 'tenant_admin';

  @ApiPropertyOptional({
    example: 'Grace Hopper',
    minLength: 1,
    maxLength: 100,
    description: 'Proposed name; the invitee may give another',
  })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;
}
