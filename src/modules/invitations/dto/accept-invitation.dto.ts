import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { NewPasswordField } from '../../../common/validation/fields';
import { OptionalField } from '../../../common/validation/optional-field';
import { Trim } from '../../../common/validation/transforms';

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The `token` of the link in the invitation mail', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  token!: string;

  @NewPasswordField('Correct-Horse-Battery-9')
  password!: string;

  @ApiPropertyOptional({ example: 'Grace Hopper', minLength: 1, maxLength: 100 })
  @OptionalField()
  @Trim()
  @IsString()
  @Length(1, 100)
  full_name?: string;
}
