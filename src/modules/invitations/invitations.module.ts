import { Module } from '@nestjs/common';
import { InvitationsCoreModule } from '../../identity/invitations/invitations-core.module';
import { AcceptInvitationController } from './accept-invitation.controller';
import { InvitationsController } from './invitations.controller';
import { TenantInvitationsController } from './tenant-invitations.controller';

/** Invitations: the HTTP face of identity/invitations (create, list, revoke, accept). */
@Module({
  imports: [InvitationsCoreModule],
  controllers: [InvitationsController, TenantInvitationsController, AcceptInvitationController],
})
export class InvitationsModule {}
