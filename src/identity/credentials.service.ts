import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuditTrail } from './audit/audit-trail.service';
import { AuthStateService } from './auth-state.service';
import { MembersRepository } from './members/members.repository';
import { PasswordService } from './passwords/password.service';
import { ProfileService } from './profile.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { SuperadminsRepository } from './superadmins/superadmins.repository';

const noLongerValid = () => AppError.unauthenticated('Token is no longer valid');

/** The caller's own credentials: logout everywhere and password change, for members and superadmins. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly users: MembersRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly authState: AuthStateService,
    private readonly profiles: ProfileService,
    private readonly audit: AuditTrail,
  ) {}

  async logoutAll(principal: UserPrincipal): Promise<void> {
    await this.bumpVersion(principal, {});
    await this.sessions.revokeUser(principal.userId);
    await this.audit.record({ action: 'auth.logout_all', target: selfTarget(principal) });
  }

  /** Ends every other session; the caller's own session survives through its refresh token. */
  async changePassword(principal: UserPrincipal, currentPassword: string, newPassword: string): Promise<void> {
    const account = principal.tenantId
      ? await this.users.inTenant(principal.tenantId).findById(principal.userId)
      : await this.superadmins.findById(principal.userId);
    if (!account) throw noLongerValid();
    if (!(await this.passwords.verify(currentPassword, account.password_hash))) {
      await this.audit.record({
        action: 'auth.password_changed',
        target: selfTarget(principal),
        outcome: 'failure',
        details: { reason: 'current_password_incorrect' },
      });
      throw new AppError(400, ErrorCode.CURRENT_PASSWORD_INCORRECT, 'current_password is incorrect');
    }
    this.passwords.assertAcceptable(newPassword, 'new_password', [account.email, account.full_name ?? '']);
    await this.bumpVersion(principal, { password_hash: await this.passwords.hash(newPassword) });
    await this.sessions.revokeUser(principal.userId, principal.sessionId);
    await this.audit.record({
      action: 'auth.password_changed',
      target: selfTarget(principal),
      details: { other_sessions_revoked: true },
    });
  }

  /** A new token version: every access token issued before dies at once. */
  private async bumpVersion(principal: UserPrincipal, set: { password_hash?: string }): Promise<void> {
    const updated = principal.tenantId
      ? await this.users.inTenant(principal.tenantId).update(principal.userId, set, true)
      : await this.superadmins.update(principal.userId, set, true);
    if (!updated) throw noLongerValid();
    await Promise.all([this.authState.forget(principal.tenantId, principal.userId), this.profiles.forget(principal)]);
  }
}

function selfTarget(principal: UserPrincipal) {
  return { type: principal.role === 'superadmin' ? 'superadmin' : 'user', id: principal.userId };
}
