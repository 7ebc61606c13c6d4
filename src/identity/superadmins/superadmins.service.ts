import { Injectable } from '@nestjs/common';
import { isDuplicateKey } from '../../common/db-errors';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId } from '../../common/ids';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit-trail.service';
import { PasswordService } from '../passwords/password.service';
import type { Superadmin } from './superadmin.schema';
import { SuperadminsRepository } from './superadmins.repository';

@Injectable()
export class SuperadminsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly superadmins: SuperadminsRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Creates a superadmin with no check of who asks: callers decide (sign-up bootstrap, a
   * superadmin's request, SUPERADMIN_EMAIL at start, the CLI). The login index entry first: its
   * unique key settles two parallel creations of one email.
   */
  async create(email: string, password: string, fullName: string | null): Promise<Superadmin> {
    this.passwords.assertAcceptable(password, 'password', [email, fullName ?? '']);
    const id = newId();
    const passwordHash = await this.passwords.hash(password);
    try {
      await this.accounts.insert(id, email, null);
    } catch (err) {
      if (isDuplicateKey(err)) throw AppError.conflict(ErrorCode.USER_EXISTS, 'A superadmin with this email exists');
      throw err;
    }
    let admin: Superadmin;
    try {
      admin = await this.superadmins.insert({ _id: id, email, full_name: fullName, password_hash: passwordHash });
    } catch (err) {
      await this.accounts.remove(id);
      throw err;
    }
    // Platform stream; the actor is the calling superadmin, or `system` (bootstrap, CLI, sign-up bootstrap).
    await this.audit.record({
      action: 'superadmin.created',
      target: { type: 'superadmin', id: String(id) },
      details: { email },
      tenantId: null,
    });
    return admin;
  }
}
