import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TenantMongooseModule } from '../../infra/tenancy';
import { InvitationAcceptService } from './invitation-accept.service';
import { InvitationErasure } from './invitation-erasure.service';
import { InvitationLocator, InvitationLocatorSchema } from './invitation-locator.schema';
import { Invitation, InvitationSchema } from './invitation.schema';
import { InvitationsRepository } from './invitations.repository';
import { InvitationsService } from './invitations.service';

/**
 * Invitations in the identity core (they create members and sessions): the tenant `invitations`
 * collection, the master `invitation_locators`, and the services the HTTP module calls.
 */
@Module({
  imports: [
    TenantMongooseModule.forFeature([{ name: Invitation.name, schema: InvitationSchema }]),
    MongooseModule.forFeature([{ name: InvitationLocator.name, schema: InvitationLocatorSchema }]),
  ],
  providers: [InvitationsRepository, InvitationsService, InvitationAcceptService, InvitationErasure],
  exports: [InvitationsService, InvitationAcceptService],
})
export class InvitationsCoreModule {}
