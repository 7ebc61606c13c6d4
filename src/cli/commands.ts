import type { INestApplicationContext } from '@nestjs/common';
import { emailTextProblem, normalizeEmail } from '../common/validation/email-text';
import { SessionRevocationsRepository } from '../identity/sessions/session-revocations.repository';
import { SessionsRepository } from '../identity/sessions/sessions.repository';
import { SuperadminsService } from '../identity/superadmins/superadmins.service';
import { TenantBulkProvisioner } from '../identity/tenants/tenant-bulk-provisioner.service';
import { TenantsRepository } from '../identity/tenants/tenants.repository';
import { MasterIndexesService } from '../infra/database/master-indexes.service';
import { IdempotencyStore } from '../infra/idempotency/idempotency.store';
import { TenantConnectionManager } from '../infra/tenancy/tenant-connection.manager';
import { TenantSchemaRegistry } from '../infra/tenancy/tenant-schema.registry';

/** Each returns the line to print on success; failures throw. */
export async function createSuperadmin(
  app: INestApplicationContext,
  email: string,
  password: string,
  name: string | null,
): Promise<string> {
  const normalized = normalizeEmail(email);
  const problem = emailTextProblem(normalized);
  if (problem) throw new Error(`--email ${problem}`);
  const admin = await app.get(SuperadminsService).create(normalized, password, name);
  return `created superadmin ${admin.email} (${String(admin._id)})`;
}

export async function syncIndexes(app: INestApplicationContext): Promise<string> {
  await app.get(MasterIndexesService).sync();
  const manager = app.get(TenantConnectionManager);
  const schemas = app.get(TenantSchemaRegistry).all();
  const tenantIds = await app.get(TenantsRepository).servedIds();
  for (const tenantId of tenantIds) await manager.syncIndexes(tenantId, schemas);
  return `indexes synced: master + ${tenantIds.length} tenant databases (${schemas.map(([name]) => name).join(', ')})`;
}

export async function purgeSessions(app: INestApplicationContext): Promise<string> {
  const now = new Date();
  const removed = await app.get(SessionsRepository).purgeExpired(now);
  // Revocation records outlive their family's access tokens by nothing: expired ones are dead weight.
  const revocations = await app.get(SessionRevocationsRepository).purgeExpired(now);
  return `purged ${removed} expired sessions, ${revocations} expired session revocations`;
}

/** Stored Idempotency-Key responses past their 24 h (FerretDB has no TTL index: run it from cron). */
export async function purgeIdempotencyKeys(app: INestApplicationContext): Promise<string> {
  const removed = await app.get(IdempotencyStore).purgeExpired(new Date());
  return `purged ${removed} expired idempotency keys`;
}

export interface ProvisionTenantsArgs {
  count: number;
  prefix: string;
  password: string;
  concurrency: number;
  /** Write one JSON line per tenant (`{id, domain, email}`) to this function (benchmarks read them). */
  emit?: (line: string) => void;
  progress?: (line: string) => void;
}

/** Many tenants at once (benchmarks, load tests): see TenantBulkProvisioner. */
export async function provisionTenants(app: INestApplicationContext, args: ProvisionTenantsArgs): Promise<string> {
  if (!/^[a-z0-9]{1,20}$/.test(args.prefix)) throw new Error('--prefix must be 1 to 20 lowercase letters or digits');
  const started = performance.now();
  const tenants = await app.get(TenantBulkProvisioner).provision({
    count: args.count,
    prefix: args.prefix,
    emailDomain: 'example.com',
    password: args.password,
    concurrency: args.concurrency,
    batchSize: 500,
    onProgress: (done) => args.progress?.(`provisioned ${done}/${args.count} tenants`),
  });
  for (const t of tenants) args.emit?.(JSON.stringify(t));
  const seconds = (performance.now() - started) / 1000;
  return `provisioned ${tenants.length} tenants in ${seconds.toFixed(1)} s (${(tenants.length / seconds).toFixed(1)}/s)`;
}
