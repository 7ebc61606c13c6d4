import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { UserPrincipal } from '../../common/auth/principal';
import { type Page, pageWindow, type PageQueryDto, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { AuditTrail } from '../audit/audit-trail.service';
import { newId, toObjectId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { MailOutbox } from '../../infra/mail';
import { RequestContext } from '../../infra/request-context/request-context';
import { AccountsRepository } from '../accounts/accounts.repository';
import { type InvitationResponse, type InvitationStatus, toInvitationResponse } from '../dto/invitation.response';
import { LeaseService } from '../leases/lease.service';
import { MembersRepository } from '../members/members.repository';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { TenantRunner } from '../tenants/tenant-runner.service';
import { InvitationsError } from './invitation.errors';
import { newInvitationToken } from './invitation-token';
import { InvitationsRepository } from './invitations.repository';

export interface NewInvitation {
  email: string;
  role: 'user' | 'tenant_admin';
  full_name?: string;
}

const MAIL_KIND = 'invitation';
const notFound = () => AppError.notFound(InvitationsError.INVITATION_NOT_FOUND, 'Invitation not found');

/**
 * Invitations of the request's tenant (the caller's, or a superadmin's on
 * /tenants/{tenant_id}/invitations). Creating one queues its mail in the outbox BEFORE writing the
 * invitation (docs/mail.md "Order of writes"): the sender confirms the invitation exists and is
 * still pending before sending, so a crash in between sends nothing, and none leaves an
 * invitation without its mail.
 */
@Injectable()
export class InvitationsService implements OnModuleInit {
  constructor(
    private readonly invitations: InvitationsRepository,
    private readonly accounts: AccountsRepository,
    private readonly members: MembersRepository,
    private readonly tenants: TenantDirectory,
    private readonly runner: TenantRunner,
    private readonly leases: LeaseService,
    private readonly mail: MailOutbox,
    private readonly context: RequestContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    // The sender asks this before delivering an invitation mail (outside any request).
    this.mail.registerConfirmation(MAIL_KIND, ({ tenantId, id }) =>
      tenantId
        ? this.runner.run(tenantId, async () => {
            const invitation = await this.invitations.findById(id);
            return !!invitation && invitation.status === 'pending' && invitation.expires_at.getTime() > Date.now();
          })
        : Promise.resolve(false),
    );
  }

  async create(principal: UserPrincipal, dto: NewInvitation): Promise<InvitationResponse> {
    this.mail.assertEnabled();
    const tenantId = this.context.requireTenantId();
    const tenant = await this.tenants.read(tenantId);
    const inviter = await this.inviterName(principal);
    // One invite per (tenant, email) at a time, across instances: the re-invite that revokes the
    // pending one and the insert of its successor are not interleaved with another invite's.
    return this.leases.withLease(`invite:${tenantId}:${dto.email}`, async () => {
      const accounts = await this.accounts.findByEmail(dto.email);
      if (accounts.some((a) => a.tenant_id !== null && String(a.tenant_id) === tenantId)) {
        throw AppError.conflict(ErrorCode.USER_EXISTS, 'A user with this email exists in this tenant');
      }
      const id = newId();
      const now = new Date();
      const expiresAt = new Date(now.getTime() + this.config.invitationTtlSeconds * 1000);
      const { token, hash } = newInvitationToken(String(id));
      await this.mail.enqueue({
        to: dto.email,
        template: 'invitation',
        tenantId,
        dedupeKey: `invitation:${String(id)}`,
        confirm: { kind: MAIL_KIND, id: String(id) },
        data: {
          tenant_name: tenant.name,
          inviter,
          role: dto.role === 'tenant_admin' ? 'an administrator' : 'a member',
          link: this.mail.link('/accept-invitation', token),
          expires_at: expiresAt.toISOString(),
        },
      });
      await this.invitations.revokePendingFor(dto.email, now);
      const invitation = await this.invitations.insert(
        {
          _id: id,
          email: dto.email,
          role: dto.role,
          full_name: dto.full_name ?? null,
          token_hash: hash,
          status: 'pending',
          invited_by: toObjectId(principal.userId),
          expires_at: expiresAt,
        },
        tenantId,
      );
      await this.audit.record({
        action: 'invitation.created',
        target: { type: 'invitation', id: String(id) },
        details: { email: dto.email, role: dto.role },
      });
      return toInvitationResponse(invitation, now);
    });
  }

  async list(query: PageQueryDto & { status?: InvitationStatus }): Promise<Page<InvitationResponse>> {
    const { skip, limit } = pageWindow(query);
    const now = new Date();
    const { items, total } = await this.invitations.page(query.status, skip, limit, now);
    return toPage(
      items.map((i) => toInvitationResponse(i, now)),
      total,
      query,
    );
  }

  /** pending (or expired) -> revoked; its link dies. Revoking twice is fine; an accepted one is 409. */
  async revoke(id: string): Promise<void> {
    const invitation = await this.invitations.findById(id);
    if (!invitation) throw notFound();
    if (invitation.status === 'accepted') {
      throw AppError.conflict(InvitationsError.INVITATION_ACCEPTED, 'This invitation was already accepted');
    }
    if (invitation.status === 'pending' && !(await this.invitations.end(invitation._id, 'revoked', new Date()))) {
      // Lost a race with accept (or another revoke): say what it became.
      const now = await this.invitations.findById(id);
      if (now?.status === 'accepted') {
        throw AppError.conflict(InvitationsError.INVITATION_ACCEPTED, 'This invitation was already accepted');
      }
    }
    await this.audit.record({ action: 'invitation.revoked', target: { type: 'invitation', id } });
  }

  private async inviterName(principal: UserPrincipal): Promise<string> {
    if (principal.role === 'superadmin') return 'The platform administrator';
    const user = await this.members.current.findById(principal.userId);
    return user?.full_name ?? user?.email ?? 'An administrator';
  }
}
