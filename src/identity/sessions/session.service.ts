import { Inject, Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { UserPrincipal, Role } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId, toObjectId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AuditTrail } from '../audit/audit-trail.service';
import type { TokenPairResponse } from '../dto/token-pair.response';
import { MembersRepository } from '../members/members.repository';
import { SuperadminsRepository } from '../superadmins/superadmins.repository';
import { TenantStatusService } from '../tenants/tenant-status.service';
import { type ClientInfo, NO_CLIENT } from './client-info';
import type { Session } from './session.schema';
import { SessionRevocations } from './session-revocations.service';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

export interface SessionSubject {
  userId: string;
  tenantId: string | undefined;
  role: Role;
  tokenVersion: number;
}

const invalidRefresh = () => AppError.unauthenticated('Invalid refresh token', ErrorCode.INVALID_REFRESH_TOKEN);

/** Token pairs: a login starts a session family, every refresh rotates within it. */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly tenantStatus: TenantStatusService,
    private readonly revocations: SessionRevocations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditTrail,
  ) {}

  async start(subject: SessionSubject, client: ClientInfo = NO_CLIENT): Promise<TokenPairResponse> {
    const pair = await this.issue(subject, newId(), undefined, client, new Date());
    if (!pair) throw new Error('a fresh refresh token collided with an existing one');
    return pair;
  }

  /**
   * Rotation. A token is single use: its successor is inserted under a unique `parent` key, so of
   * N parallel refreshes exactly one can win. Presenting a token that already has a successor
   * (a replay: stolen, or a lost race) revokes the whole family, the newest token included.
   */
  async refresh(refreshToken: string, client: ClientInfo = NO_CLIENT): Promise<TokenPairResponse> {
    const tokenHash = TokenService.hashRefreshToken(refreshToken);
    const session = await this.sessions.findByHash(tokenHash);
    if (!session || session.status === 'revoked' || session.expires_at.getTime() <= Date.now()) throw invalidRefresh();
    if (session.status === 'rotated') return this.reuseDetected(session);
    const subject = await this.currentSubject(session);
    if (!subject) {
      await this.revokeFamily(session);
      throw invalidRefresh();
    }
    const issued = await this.issue(
      subject,
      session.family_id,
      tokenHash,
      client,
      session.started_at ?? session.created_at,
    );
    if (!issued) return this.reuseDetected(session);
    await this.sessions.markRotated(session._id);
    return issued;
  }

  /** Ends the session the token belongs to, if it is the caller's (otherwise does nothing). */
  async end(refreshToken: string, userId: string): Promise<void> {
    const session = await this.sessions.findByHash(TokenService.hashRefreshToken(refreshToken));
    if (session && String(session.user_id) === userId) {
      await this.revokeFamily(session);
      await this.audit.record({ action: 'auth.logout', target: { type: 'session', id: String(session.family_id) } });
    }
  }

  /** Ends the session of the caller's access token (its `sid`, from the verified token). */
  async endCurrent(principal: UserPrincipal): Promise<void> {
    await this.revokeFamily({ family_id: toObjectId(principal.sessionId), tenant_id: principal.tenantId ?? null });
    await this.audit.record({ action: 'auth.logout', target: { type: 'session', id: principal.sessionId } });
  }

  /**
   * Ends one session (family) of an account: its refresh tokens, then its access tokens. Returns
   * false, changing nothing, when the account has no live session of that id: the owner filter
   * is what makes another account's session id a 404 (GET/DELETE /auth/sessions).
   */
  async endOwn(owner: { userId: string; tenantId: string | undefined }, familyId: string): Promise<boolean> {
    const live = await this.sessions.findLiveFamily(owner.userId, owner.tenantId, familyId);
    if (!live) return false;
    await this.revokeFamily(live);
    await this.audit.record({ action: 'auth.logout', target: { type: 'session', id: familyId } });
    return true;
  }

  /** Recorded in the session owner's stream; the actor is whoever holds that owner's old token. */
  private async reuseDetected(session: Session): Promise<never> {
    await this.revokeFamily(session);
    const type = session.tenant_id ? 'user' : 'superadmin';
    await this.audit.record({
      action: 'auth.refresh_reuse_detected',
      actor: { type, id: String(session.user_id) },
      target: { type: 'session', id: String(session.family_id) },
      outcome: 'failure',
      details: { reason: 'refresh_token_reused', family_revoked: true },
      tenantId: session.tenant_id ? String(session.tenant_id) : null,
    });
    throw invalidRefresh();
  }

  /** Refresh tokens first (the database), then the family's access tokens (a revocation record). */
  private async revokeFamily(session: {
    family_id: Types.ObjectId;
    tenant_id: Types.ObjectId | string | null;
  }): Promise<void> {
    await this.sessions.revokeFamily(session.family_id);
    await this.revocations.revoke(session.family_id, session.tenant_id ? String(session.tenant_id) : undefined);
  }

  /** A new pair in `familyId`; null when `parentHash` already has a successor (lost the race). */
  private async issue(
    subject: SessionSubject,
    familyId: Types.ObjectId,
    parentHash: string | undefined,
    client: ClientInfo,
    startedAt: Date,
  ): Promise<TokenPairResponse | null> {
    const refresh = this.tokens.newRefreshToken();
    const inserted = await this.sessions.insertSuccessor({
      _id: newId(),
      family_id: familyId,
      user_id: toObjectId(subject.userId),
      tenant_id: subject.tenantId ? toObjectId(subject.tenantId) : null,
      token_hash: refresh.hash,
      parent: parentHash ?? `login:${refresh.hash}`,
      status: 'active',
      expires_at: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
      started_at: startedAt,
      user_agent: client.userAgent,
      ip: client.ip,
    });
    if (!inserted) return null;
    const access = this.tokens.signAccess({
      sub: subject.userId,
      tid: subject.tenantId,
      role: subject.role,
      ver: subject.tokenVersion,
      sid: String(familyId),
    });
    return {
      access_token: access.token,
      refresh_token: refresh.token,
      token_type: 'bearer',
      expires_in: access.expiresIn,
    };
  }

  /** The account as it is now (role and version may have changed); null when it may not refresh. */
  private async currentSubject(session: Session): Promise<SessionSubject | null> {
    const userId = String(session.user_id);
    if (!session.tenant_id) {
      const admin = await this.superadmins.findById(userId);
      if (!admin?.is_active) return null;
      return { userId, tenantId: undefined, role: 'superadmin', tokenVersion: admin.token_version };
    }
    const tenantId = String(session.tenant_id);
    if ((await this.tenantStatus.status(tenantId)) !== 'active') return null;
    const user = await this.users.inTenant(tenantId).findById(userId);
    if (!user?.is_active) return null;
    return { userId, tenantId, role: user.role, tokenVersion: user.token_version };
  }
}
