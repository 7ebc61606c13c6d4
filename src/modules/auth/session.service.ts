import { Inject, Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { Role } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId, toObjectId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { TenantStatusService } from '../tenants/tenant-status.service';
import { UsersRepository } from '../users/users.repository';
import type { TokenPairResponse } from './dto/auth.responses';
import type { Session } from './session.schema';
import { SessionsRepository } from './sessions.repository';
import { SuperadminsRepository } from './superadmins.repository';
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
    private readonly users: UsersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly tenantStatus: TenantStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(subject: SessionSubject): Promise<TokenPairResponse> {
    return this.issue(subject, newId());
  }

  /**
   * Rotation. The old token is claimed atomically (single use); a token already rotated is a
   * replay (stolen or raced), so the whole family is revoked, the newest token included.
   */
  async refresh(refreshToken: string): Promise<TokenPairResponse> {
    const result = await this.sessions.claimForRotation(TokenService.hashRefreshToken(refreshToken), new Date());
    if (result.kind === 'reused') {
      await this.sessions.revokeFamily(result.session.family_id);
      throw invalidRefresh();
    }
    if (result.kind === 'invalid') throw invalidRefresh();
    const subject = await this.currentSubject(result.session);
    if (!subject) {
      await this.sessions.revokeFamily(result.session.family_id);
      throw invalidRefresh();
    }
    return this.issue(subject, result.session.family_id);
  }

  /** Ends the session the token belongs to, if it is the caller's (otherwise does nothing). */
  async end(refreshToken: string, userId: string): Promise<void> {
    const session = await this.sessions.findByHash(TokenService.hashRefreshToken(refreshToken));
    if (session && String(session.user_id) === userId) await this.sessions.revokeFamily(session.family_id);
  }

  private async issue(subject: SessionSubject, familyId: Types.ObjectId): Promise<TokenPairResponse> {
    const refresh = this.tokens.newRefreshToken();
    await this.sessions.insert({
      _id: newId(),
      family_id: familyId,
      user_id: toObjectId(subject.userId),
      tenant_id: subject.tenantId ? toObjectId(subject.tenantId) : null,
      token_hash: refresh.hash,
      status: 'active',
      expires_at: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
    });
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
    const user = await this.users.forTenant(tenantId).findById(userId);
    if (!user?.is_active) return null;
    return { userId, tenantId, role: user.role, tokenVersion: user.token_version };
  }
}
