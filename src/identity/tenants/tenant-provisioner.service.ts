import { Injectable, Logger } from '@nestjs/common';
import type { Types } from 'mongoose';
import { isDuplicateKey } from '../../common/db-errors';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { newId } from '../../common/ids';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { tenantDbName } from '../../infra/tenancy/tenant-db-name';
import { TenantSchemaRegistry } from '../../infra/tenancy/tenant-schema.registry';
import { AccountTokensRepository } from '../account-tokens/account-tokens.repository';
import { AccountsRepository } from '../accounts/accounts.repository';
import { actorOf } from '../audit/audit-actor';
import { AuditTrail } from '../audit/audit-trail.service';
import { RequestContext } from '../../infra/request-context/request-context';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { ErasedData } from '../erasure/erasure-receipts.service';
import { TenantErasureSteps } from '../erasure/erasure-steps.registry';
import type { User } from '../members/user.schema';
import { MembersRepository } from '../members/members.repository';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TenantPlacement } from './tenant-placement.service';
import type { Tenant } from './tenant.schema';
import { TenantsRepository } from './tenants.repository';

/** A `provisioning` record older than this is a crashed creation, cleaned up on the next attempt. */
const STALE_PROVISIONING_MS = 2 * 60_000;

export interface ProvisionInput {
  name: string;
  domain: string;
  email: string;
  admin: { email: string; fullName: string | null; passwordHash: string };
  /** The cluster to hold its database (422 if unknown); default: the one with the fewest tenants. */
  cluster?: string;
}

/**
 * Creates a tenant in crash-safe steps: the record (status `provisioning`, never served), the
 * database with its indexes (on its cluster), the admin, then `active`. Any failure undoes what was made; a crash
 * leaves a `provisioning` record that the next attempt for the same domain cleans up.
 * (No multi-document transactions: FerretDB 1.24 has none.)
 */
@Injectable()
export class TenantProvisioner {
  private readonly logger = new Logger(TenantProvisioner.name);

  constructor(
    private readonly tenants: TenantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly accountTokens: AccountTokensRepository,
    private readonly users: MembersRepository,
    private readonly manager: TenantConnectionManager,
    private readonly schemas: TenantSchemaRegistry,
    private readonly placement: TenantPlacement,
    private readonly audit: AuditTrail,
    private readonly context: RequestContext,
    private readonly apiKeys: ApiKeysService,
    private readonly erasureSteps: TenantErasureSteps,
  ) {}

  async provision(input: ProvisionInput): Promise<{ tenant: Tenant; admin: User }> {
    const id = newId();
    const cluster = await this.placement.choose(input.cluster);
    await this.insertRecord(id, input, cluster);
    try {
      await this.manager.syncIndexes(String(id), this.schemas.all());
      const adminId = newId();
      await this.accounts.insert(adminId, input.admin.email, id);
      const admin = await this.users.inTenant(id).insert({
        _id: adminId,
        email: input.admin.email,
        full_name: input.admin.fullName,
        password_hash: input.admin.passwordHash,
        role: 'tenant_admin',
        is_active: true,
      });
      const tenant = await this.tenants.transition(id, ['provisioning'], 'active');
      if (!tenant) throw new Error('tenant record vanished during provisioning');
      await this.recordCreated(tenant, admin);
      return { tenant, admin };
    } catch (err) {
      this.logger.error(`provisioning tenant ${String(id)} failed; undoing (${(err as Error).name})`);
      await this.destroy(id).catch((cleanupErr: unknown) =>
        this.logger.error(`cleanup of tenant ${String(id)} failed: ${(cleanupErr as Error).name}`),
      );
      throw err;
    }
  }

  /** Drops everything a tenant owns, in an order that never leaves it served half-deleted. */
  async destroy(id: Types.ObjectId | string): Promise<void> {
    await this.erase(id);
    await this.tenants.remove(id);
  }

  /**
   * Everything but the tenant record: sessions, accounts, API keys, mailed account tokens, each registered erasure step
   * (TenantErasureSteps: invitations, API keys, ...), then the database. Returns what went, for
   * the erasure receipt.
   */
  async erase(id: Types.ObjectId | string): Promise<ErasedData> {
    const deleted: Record<string, number> = {};
    deleted.sessions = await this.sessions.removeTenant(id);
    deleted.accounts = await this.accounts.removeTenant(id);
    deleted.api_keys = await this.apiKeys.removeTenant(id);
    deleted.account_tokens = await this.accountTokens.removeTenant(id);
    for (const step of this.erasureSteps.all()) deleted[step.kind] = await step.erase(String(id));
    await this.manager.dropDatabase(String(id));
    return { deleted, droppedAt: new Date() };
  }

  /**
   * `tenant.created` in the platform stream, and the admin's `user.created` opening the tenant's
   * own stream. A self-service sign-up has no caller yet: its actor is the new admin.
   */
  private async recordCreated(tenant: Tenant, admin: User): Promise<void> {
    const principal = this.context.current?.principal;
    const actor = principal ? actorOf(principal) : { type: 'user' as const, id: String(admin._id), email: admin.email };
    const tenantId = String(tenant._id);
    await this.audit.record({
      action: 'tenant.created',
      actor,
      target: { type: 'tenant', id: tenantId },
      details: { name: tenant.name, domain: tenant.domain, admin_id: String(admin._id) },
      tenantId: null,
    });
    await this.audit.record({
      action: 'user.created',
      actor,
      target: { type: 'user', id: String(admin._id) },
      details: { email: admin.email, role: admin.role },
      tenantId,
    });
  }

  private async insertRecord(id: Types.ObjectId, input: ProvisionInput, cluster: string): Promise<void> {
    const record = {
      cluster,
      _id: id,
      name: input.name,
      domain: input.domain,
      email: input.email,
      db_name: tenantDbName(String(id)),
      settings: {},
    };
    try {
      await this.tenants.insertProvisioning(record);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.tenants.findByDomain(input.domain);
      const stale =
        existing?.status === 'provisioning' && Date.now() - existing.created_at.getTime() > STALE_PROVISIONING_MS;
      if (!existing || !stale)
        throw AppError.conflict(ErrorCode.TENANT_EXISTS, `Tenant domain "${input.domain}" is taken`);
      this.logger.warn(`cleaning up tenant ${String(existing._id)} left half-provisioned`);
      await this.destroy(existing._id);
      await this.tenants.insertProvisioning(record).catch((again: unknown) => {
        if (isDuplicateKey(again))
          throw AppError.conflict(ErrorCode.TENANT_EXISTS, `Tenant domain "${input.domain}" is taken`);
        throw again;
      });
    }
  }
}
