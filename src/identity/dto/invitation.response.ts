import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../common/dto/pagination.dto';
import type { Invitation } from '../invitations/invitation.schema';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export class InvitationResponse {
  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a8' })
  id!: string;

  @ApiProperty({ example: 'grace@example.com' })
  email!: string;

  @ApiProperty({ enum: ['tenant_admin', 'user'] })
  role!: 'tenant_admin' | 'user';

  @ApiProperty({ enum: INVITATION_STATUSES, description: '`expired`: still pending past `expires_at`' })
  status!: InvitationStatus;

  @ApiProperty({ example: '6650c5d2f1a2b3c4d5e6f7a9', description: 'Id of the admin who invited' })
  invited_by!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  expires_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;
}

export class InvitationPageResponse extends PageDto {
  @ApiProperty({ type: [InvitationResponse] })
  items!: InvitationResponse[];
}

/** Explicit mapping: the token hash (and any later field) never leaks by accident. */
export function toInvitationResponse(invitation: Invitation, now: Date): InvitationResponse {
  const expired = invitation.status === 'pending' && invitation.expires_at.getTime() <= now.getTime();
  return {
    id: String(invitation._id),
    email: invitation.email,
    role: invitation.role,
    status: expired ? 'expired' : invitation.status,
    invited_by: String(invitation.invited_by),
    expires_at: invitation.expires_at.toISOString(),
    created_at: invitation.created_at.toISOString(),
  };
}
