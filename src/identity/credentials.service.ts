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

/** An account, by id and tenant (none for a superadmin). */
export type AccountRef = Pick<UserPrincipal, 'userId' | 'tenantId'>;

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
    if (!(await this.bumpVersion(principal, {}))) throw noLongerValid();
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
    if (!(await this.bumpVersion(principal, { password_hash: await this.passwords.hash(newPassword) }))) {
      throw noLongerValid();
    }
    await this.sessions.revokeUser(principal.userId, principal.sessionId);
    await this.audit.record({
      action: 'auth.password_changed',
      target: selfTarget(principal),
      details: { other_sessions_revoked: true },
    });
  }

  /**
   * A password reset (the account proved its mailbox, no one is logged in): the new hash, the
   * address marked verified, and every session and access token of the account dies, as with
   * logout-all. Returns false when the account is gone.
   */
  async resetPassword(account: AccountRef, passwordHash: string): Promise<boolean> {
    const set = account.tenantId
      ? { password_hash: passwordHash, email_verified: true }
      : { password_hash: passwordHash };
    if (!(await this.bumpVersion(account, set))) return false;
    await this.sessions.revokeUser(account.userId);
    return true;
  }

  /** A new token version: every access token issued before dies at once. */
  private async bumpVersion(
    principal: AccountRef,
    set: { password_hash?: string; email_verified?: boolean },
  ): Promise<boolean> {
    const updated = principal.tenantId
      ? await this.users.inTenant(principal.tenantId).update(principal.userId, set, true)
      : await this.superadmins.update(principal.userId, superadminPart(set), true);
    if (!updated) return false;
    await Promise.all([this.authState.forget(principal.tenantId, principal.userId), this.profiles.forget(principal)]);
    return true;
  }
}

function selfTarget(principal: UserPrincipal) {
  return { type: principal.role === 'superadmin' ? 'superadmin' : 'user', id: principal.userId };
}

/** Superadmins have no `email_verified` (their address is the operator's): only the password. */
function superadminPart(set: { password_hash?: string }): { password_hash?: string } {
  return set.password_hash === undefined ? {} : { password_hash: set.password_hash };
}
