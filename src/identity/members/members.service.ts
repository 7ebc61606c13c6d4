import { Injectable } from '@nestjs/common';
import type { Principal, UserPrincipal } from '../../common/auth/principal';
import { isDuplicateKey } from '../../common/db-errors';
import { type Page, type PageQueryDto, pageWindow, toPage } from '../../common/dto/pagination.dto';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId, toObjectId } from '../../common/ids';
import { RequestContext } from '../../infra/request-context/request-context';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditTrail } from '../audit/audit-trail.service';
import { AuthStateService } from '../auth-state.service';
import { type UserResponse, toUserResponse } from '../dto/user.response';
import { LeaseService } from '../leases/lease.service';
import { PasswordService } from '../passwords/password.service';
import { ProfileService } from '../profile.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import type { MemberChange, NewMember } from './member-inputs';
import { type UserPatch, MembersRepository } from './members.repository';
import type { User } from './user.schema';

const notFound = () => AppError.notFound(ErrorCode.USER_NOT_FOUND, 'User not found');

/**
 * Members of the request's tenant: the caller's own, or, for a superadmin on
 * /tenants/{tenant_id}/users, that one (the request context holds which). Keeps the login index,
 * sessions and caches consistent with the tenant's users collection.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly users: MembersRepository,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly authState: AuthStateService,
    private readonly profiles: ProfileService,
    private readonly context: RequestContext,
    private readonly leases: LeaseService,
    private readonly audit: AuditTrail,
  ) {}

  async list(query: PageQueryDto): Promise<Page<UserResponse>> {
    const { skip, limit } = pageWindow(query);
    const { items, total } = await this.users.current.page(skip, limit, toUserResponse);
    return toPage(items, total, query);
  }

  async create(dto: NewMember): Promise<UserResponse> {
    this.passwords.assertAcceptable(dto.password, 'password', [dto.email, dto.full_name ?? '']);
    const tenantId = this.context.requireTenantId();
    const passwordHash = await this.passwords.hash(dto.password);
    const id = newId();
    // The login index first: its unique (email, tenant) key is what makes 50 parallel creations
    // with one email yield exactly one user.
    try {
      await this.accounts.insert(id, dto.email, toObjectId(tenantId));
    } catch (err) {
      if (isDuplicateKey(err))
        throw AppError.conflict(ErrorCode.USER_EXISTS, 'A user with this email exists in this tenant');
      throw err;
    }
    try {
      const user = await this.users.current.insert({
        _id: id,
        email: dto.email,
        full_name: dto.full_name ?? null,
        password_hash: passwordHash,
        role: dto.role ?? 'user',
        is_active: true,
        email_verified: dto.email_verified ?? false,
      });
      await this.audit.record({
        action: 'user.created',
        target: userTarget(user._id),
        details: { email: user.email, role: user.role },
      });
      return toUserResponse(user);
    } catch (err) {
      await this.accounts.remove(id);
      if (isDuplicateKey(err))
        throw AppError.conflict(ErrorCode.USER_EXISTS, 'A user with this email exists in this tenant');
      throw err;
    }
  }

  /** tenant_admin (and a superadmin on the tenant routes): anyone; a user: only themself. */
  async get(principal: Principal, id: string): Promise<UserResponse> {
    // A user-role API key is nobody's self: it reads no member (tenant_admin keys read any).
    if (principal.role === 'user' && (principal.kind !== 'user' || principal.userId !== id))
      throw AppError.forbidden('Users may only read themselves');
    const user = await this.users.current.findById(id);
    if (!user) throw notFound();
    return toUserResponse(user);
  }

  async update(id: string, dto: MemberChange): Promise<UserResponse> {
    // Only a demotion or a deactivation can take the tenant's last admin away.
    const mayLoseAdmin = dto.role === 'user' || dto.is_active === false;
    return mayLoseAdmin ? this.underAdminLease(() => this.applyUpdate(id, dto)) : this.applyUpdate(id, dto);
  }

  async remove(id: string): Promise<void> {
    await this.underAdminLease(async () => {
      const users = this.users.current;
      const user = await users.findById(id);
      if (!user) throw notFound();
      if (user.role === 'tenant_admin' && user.is_active) await this.assertNotLastAdmin();
      try {
        if (!(await users.remove(id))) throw notFound();
      } finally {
        await this.forget(id);
      }
      await Promise.all([this.accounts.remove(id), this.sessions.revokeUser(id)]);
      await this.audit.record({ action: 'user.deleted', target: userTarget(id), details: { email: user.email } });
    });
  }

  private async applyUpdate(id: string, dto: MemberChange): Promise<UserResponse> {
    const users = this.users.current;
    const before = await users.findById(id);
    if (!before) throw notFound();
    const losesAdmin =
      before.role === 'tenant_admin' && before.is_active && (dto.role === 'user' || dto.is_active === false);
    if (losesAdmin) await this.assertNotLastAdmin();
    const roleChanged = dto.role !== undefined && dto.role !== before.role;
    const deactivated = dto.is_active === false && before.is_active;
    const patch: UserPatch = {};
    if (dto.full_name !== undefined) patch.full_name = dto.full_name;
    if (dto.role !== undefined) patch.role = dto.role;
    if (dto.is_active !== undefined) patch.is_active = dto.is_active;
    let after: User | null;
    try {
      after = await users.update(id, patch, roleChanged || deactivated);
    } finally {
      // After the final write, also when it failed midway: a cached version must never outlive it.
      await this.forget(id);
    }
    if (!after) throw notFound();
    if (deactivated) await this.sessions.revokeUser(id);
    await this.recordUpdate(before, after);
    return toUserResponse(after);
  }

  /**
   * The last-admin rule is a check (count active admins) then an act (demote, deactivate,
   * delete); two admins removing each other at once would both pass the check. Every change that
   * can remove an admin runs under one lease per tenant, so they are serialized across instances:
   * the second sees the first's write and answers 409 LAST_ADMIN. Changes that only add admins
   * need no lease (they cannot break the rule). No transaction, no conditional update: see
   * LeaseService for why that is correct on FerretDB 1.24 and MongoDB 7 alike.
   */
  private underAdminLease<T>(work: () => Promise<T>): Promise<T> {
    return this.leases.withLease(`tenant-admins:${this.context.requireTenantId()}`, work);
  }

  async me(principal: UserPrincipal): Promise<User> {
    const user = await this.users.current.findById(principal.userId);
    if (!user) throw AppError.unauthenticated('Token is no longer valid');
    return user;
  }

  async updateMe(principal: UserPrincipal, dto: Pick<MemberChange, 'full_name'>): Promise<void> {
    if (dto.full_name === undefined) return;
    const user = await this.users.current.update(principal.userId, { full_name: dto.full_name }, false);
    if (!user) throw AppError.unauthenticated('Token is no longer valid');
    await this.forget(principal.userId);
    await this.audit.record({
      action: 'user.updated',
      target: userTarget(user._id),
      details: { fields: ['full_name'] },
    });
  }

  /** `user.updated` names the fields that changed; a role change is also its own `user.role_changed`. */
  private async recordUpdate(before: User, after: User): Promise<void> {
    const fields = (['full_name', 'role', 'is_active'] as const).filter((k) => before[k] !== after[k]);
    if (fields.length === 0) return;
    const target = userTarget(after._id);
    await this.audit.record({ action: 'user.updated', target, details: { fields, is_active: after.is_active } });
    if (before.role !== after.role)
      await this.audit.record({ action: 'user.role_changed', target, details: { from: before.role, to: after.role } });
  }

  private async assertNotLastAdmin(): Promise<void> {
    if ((await this.users.current.countActiveAdmins()) <= 1) throw lastAdmin();
  }

  private async forget(userId: string): Promise<void> {
    const tenantId = this.context.requireTenantId();
    await Promise.all([this.authState.forget(tenantId, userId), this.profiles.forget({ tenantId, userId })]);
  }
}

function userTarget(id: unknown) {
  return { type: 'user', id: String(id) };
}

function lastAdmin(): AppError {
  return AppError.conflict(
    ErrorCode.LAST_ADMIN,
    'The last active tenant_admin cannot be demoted, deactivated or deleted',
  );
}
