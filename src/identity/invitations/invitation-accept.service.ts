import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { AuditTrail } from '../audit/audit-trail.service';
import type { TokenPairResponse } from '../dto/token-pair.response';
import { MembersService } from '../members/members.service';
import { SessionService } from '../sessions/session.service';
import { TenantRunner } from '../tenants/tenant-runner.service';
import { TenantStatusService } from '../tenants/tenant-status.service';
import { invitationIdOf, tokenMatches } from './invitation-token';
import { InvitationsRepository } from './invitations.repository';

export interface AcceptInvitation {
  token: string;
  password: string;
  full_name?: string;
}

/** One answer for every way a token can be wrong: unknown, tampered, used, revoked, expired. */
const invalidToken = () => new AppError(400, ErrorCode.INVALID_TOKEN, 'This invitation link is invalid or has expired');

/**
 * POST /auth/accept-invitation (public). The token names its invitation; the master locator gives
 * the tenant; everything else happens in that tenant's context. The new member is created by
 * MembersService (password policy, the login index's unique (email, tenant) key): of two accepts
 * of one token, one creates the member and the other fails as used.
 */
@Injectable()
export class InvitationAcceptService {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly members: MembersService,
    private readonly sessions: SessionService,
    private readonly runner: TenantRunner,
    private readonly tenantStatus: TenantStatusService,
    private readonly audit: AuditTrail,
  ) {}

  async accept(dto: AcceptInvitation): Promise<TokenPairResponse> {
    const invitationId = invitationIdOf(dto.token);
    if (!invitationId) throw invalidToken();
    const tenantId = await this.invitations.locate(invitationId);
    if (!tenantId) throw invalidToken();
    const status = await this.tenantStatus.status(tenantId);
    if (status === 'suspended') throw AppError.forbidden('Tenant is suspended', ErrorCode.TENANT_SUSPENDED);
    if (status !== 'active') throw invalidToken();
    return this.runner.run(tenantId, async () => {
      const invitation = await this.invitations.findById(invitationId);
      if (
        !invitation ||
        !tokenMatches(dto.token, invitation.token_hash) ||
        invitation.status !== 'pending' ||
        invitation.expires_at.getTime() <= Date.now()
      ) {
        throw invalidToken();
      }
      let user;
      try {
        user = await this.members.create({
          email: invitation.email,
          password: dto.password,
          full_name: dto.full_name ?? invitation.full_name ?? undefined,
          role: invitation.role,
          // The link reached this mailbox: the address is proven.
          email_verified: true,
        });
      } catch (err) {
        // Already a member: this link was used (or the email joined another way); either way it is spent.
        if (err instanceof AppError && err.code === ErrorCode.USER_EXISTS) throw invalidToken();
        throw err;
      }
      await this.invitations.end(invitation._id, 'accepted', new Date());
      await this.audit.record({
        action: 'invitation.accepted',
        actor: { type: 'user', id: user.id, email: user.email },
        target: { type: 'invitation', id: invitationId },
        details: { user_id: user.id, role: user.role },
        tenantId,
      });
      return this.sessions.start({ userId: user.id, tenantId, role: user.role, tokenVersion: 0 });
    });
  }
}
