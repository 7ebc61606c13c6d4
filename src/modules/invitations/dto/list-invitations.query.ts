import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQueryDto } from '../../../common/dto/pagination.dto';
import { OptionalField } from '../../../common/validation/optional-field';
import { INVITATION_STATUSES, type InvitationStatus } from '../../../identity/dto/invitation.response';

export class ListInvitationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INVITATION_STATUSES })
  @OptionalField()
  @IsIn(INVITATION_STATUSES)
  status?: InvitationStatus;
}
