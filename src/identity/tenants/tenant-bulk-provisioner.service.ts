import { Injectable } from '@nestjs/common';
import type { IndexDescription } from 'mongodb';
import type { Schema } from 'mongoose';
import { newId } from '../../common/ids';
import { TenantConnectionManager } from '../../infra/tenancy/tenant-connection.manager';
import { tenantDbName } from '../../infra/tenancy/tenant-db-name';
import { TenantSchemaRegistry } from '../../infra/tenancy/tenant-schema.registry';
import { AccountsRepository } from '../accounts/accounts.repository';
import { MembersRepository } from '../members/members.repository';
import { PasswordService } from '../passwords/password.service';
import { TenantPlacement } from './tenant-placement.service';
import { TenantsRepository } from './tenants.repository';

export interface BulkProvisionOptions {
  count: number;
  /** Tenant domains are `<prefix>-<run>-<n>`, admins `admin-<domain>@<emailDomain>`. */
  prefix: string;
  emailDomain: string;
  /** Every admin gets this password (hashed once): these tenants are for benchmarks and load tests. */
  password: string;
  /** Tenant databases built at once (index builds are the slow part). */
  concurrency: number;
  /** Tenants per master round trip. */
  batchSize: number;
  onProgress?: (done: number) => void;
}

export interface BulkTenant {
  id: string;
  domain: string;
  email: string;
  /** The admin's user id (benchmarks start its sessions without a login). */
  admin_id: string;
  /** The cluster holding the tenant's database. */
  cluster: string;
}

/**
 * Creates many tenants quickly, for benchmarks and operators: master records in batches (one
 * insertMany per batch, status `provisioning`, never served), each tenant's database with its
 * indexes and its admin (bounded concurrency), the batch's accounts in one insertMany, then the
 * batch turns `active` in one update. Same records as TenantProvisioner; a crash leaves
 * `provisioning` records, which are never served and which that provisioner cleans up per domain.
 */
@Injectable()
export class TenantBulkProvisioner {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly accounts: AccountsRepository,
    private readonly users: MembersRepository,
    private readonly manager: TenantConnectionManager,
    private readonly schemas: TenantSchemaRegistry,
    private readonly passwords: PasswordService,
    private readonly placement: TenantPlacement,
  ) {}

  async provision(options: BulkProvisionOptions): Promise<BulkTenant[]> {
    const passwordHash = await this.passwords.hash(options.password);
    const run = newId().toHexString().slice(-6);
    const schemas = this.schemas.all();
    const created: BulkTenant[] = [];
    for (let start = 0; start < options.count; start += options.batchSize) {
      const batch = Array.from({ length: Math.min(options.batchSize, options.count - start) }, (_, i) => {
        const domain = `${options.prefix}-${run}-${start + i}`;
        const email = `admin-${domain}@${options.emailDomain}`;
        return { id: newId(), adminId: newId(), name: `${options.prefix} ${run} ${start + i}`, domain, email };
      });
      // Each tenant goes where a single creation would (the emptiest cluster, counting the batch's
      // earlier tenants): a batch is built on every cluster at once.
      const clusters = await this.placement.spread(batch.length);
      await this.tenants.insertManyProvisioning(
        batch.map((t, i) => ({
          cluster: clusters[i],
          _id: t.id,
          name: t.name,
          domain: t.domain,
          email: t.email,
          db_name: tenantDbName(String(t.id)),
          settings: {},
        })),
      );
      await eachLimited(batch, options.concurrency, async (t) => {
        await this.buildIndexes(String(t.id), schemas);
        await this.users.inTenant(t.id).insert({
          _id: t.adminId,
          email: t.email,
          full_name: null,
          password_hash: passwordHash,
          role: 'tenant_admin',
          is_active: true,
        });
        // Not kept open: a bulk run would otherwise hold every tenant's models.
        this.manager.release(String(t.id));
      });
      await this.accounts.insertMany(batch.map((t) => ({ id: t.adminId, email: t.email, tenantId: t.id })));
      await this.tenants.activateMany(batch.map((t) => t.id));
      created.push(
        ...batch.map((t, i) => ({
          id: String(t.id),
          domain: t.domain,
          email: t.email,
          admin_id: String(t.adminId),
          cluster: clusters[i],
        })),
      );
      options.onProgress?.(created.length);
    }
    return created;
  }

  /**
   * The tenant's indexes, one createIndexes command per collection with all its specs (Mongoose's
   * createIndexes sends one command per index): half the round trips on a fresh database.
   */
  private async buildIndexes(tenantId: string, schemas: Array<[string, Schema]>): Promise<void> {
    await this.manager.connectionFor(tenantId); // loads the tenant's cluster route (models resolve it synchronously)
    for (const [name, schema] of schemas) {
      const specs = schema.indexes().map(([key, options]) => ({ key, ...options }) as IndexDescription);
      const model = this.manager.model(tenantId, name, schema);
      if (specs.length > 0) await model.collection.createIndexes(specs);
      else await model.createCollection();
    }
  }
}

async function eachLimited<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
