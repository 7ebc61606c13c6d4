import type { INestApplicationContext } from '@nestjs/common';
import { ImportUndo } from '../identity/archive/import-undo.service';
import { IMPORT_STALE_AFTER_MS } from '../identity/archive/import-sweeper.service';
import { ErasureReceipts } from '../identity/erasure/erasure-receipts.service';
import { emailTextProblem, normalizeEmail } from '../common/validation/email-text';
import { AuditStreams } from '../identity/audit/audit-streams.service';
import { TenantRunner } from '../identity/tenants/tenant-runner.service';
import { APP_CONFIG, type AppConfig } from '../infra/config/app-config';
import { AccountTokensRepository } from '../identity/account-tokens/account-tokens.repository';
import { SessionRevocationsRepository } from '../identity/sessions/session-revocations.repository';
import { SessionsRepository } from '../identity/sessions/sessions.repository';
import { SuperadminsService } from '../identity/superadmins/superadmins.service';
import { TenantBulkProvisioner } from '../identity/tenants/tenant-bulk-provisioner.service';
import { TenantsRepository } from '../identity/tenants/tenants.repository';
import { MasterIndexesService } from '../infra/database/master-indexes.service';
import { IdempotencyStore } from '../infra/idempotency/idempotency.store';
import { OutboxRepository } from '../infra/mail/outbox.repository';
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
  // Expired reset and verification links are refused already; FerretDB has no TTL index to drop them.
  const tokens = await app.get(AccountTokensRepository).purgeExpired(now);
  return `purged ${removed} expired sessions, ${revocations} expired session revocations, ${tokens} expired account tokens`;
}

/** Stored Idempotency-Key responses past their 24 h (FerretDB has no TTL index: run it from cron). */
export async function purgeIdempotencyKeys(app: INestApplicationContext): Promise<string> {
  const removed = await app.get(IdempotencyStore).purgeExpired(new Date());
  return `purged ${removed} expired idempotency keys`;
}

/** `audit-verify [--tenant ID]`: the platform stream, or a served tenant's; prints the head to keep elsewhere. */
export async function auditVerify(app: INestApplicationContext, tenantId: string | undefined): Promise<string> {
  const streams = app.get(AuditStreams);
  const result = tenantId
    ? await app.get(TenantRunner).run(tenantId, () => streams.tenant(tenantId).verify())
    : await streams.platform().verify();
  const stream = tenantId ? `tenant ${tenantId}` : 'platform';
  const head = result.head ? `head seq ${result.head.seq} hash ${result.head.hash}` : 'empty';
  if (!result.valid) {
    throw new Error(
      `audit chain of ${stream} INVALID at event ${result.first_invalid_id} (${result.events} events checked)`,
    );
  }
  return `audit chain of ${stream} valid: ${result.events} events, ${head}`;
}

/**
 * `audit-prune`: deletes audit events older than AUDIT_RETENTION_DAYS (`--days` overrides) in the
 * platform stream and every served tenant's, keeping each chain verifiable from its anchor.
 */
export async function auditPrune(app: INestApplicationContext, days: number | undefined): Promise<string> {
  const keepDays = days ?? app.get<AppConfig>(APP_CONFIG).auditRetentionDays;
  if (keepDays === undefined) return 'audit retention is off (AUDIT_RETENTION_DAYS unset or 0): nothing pruned';
  const before = new Date(Date.now() - keepDays * 86_400_000);
  const streams = app.get(AuditStreams);
  let total = await streams.platform().prune(before, 'platform');
  const tenantIds = await app.get(TenantsRepository).servedIds();
  for (const tenantId of tenantIds) {
    total += await app.get(TenantRunner).run(tenantId, () => streams.tenant(tenantId).prune(before, tenantId));
  }
  return `pruned ${total} audit events older than ${before.toISOString()} (platform + ${tenantIds.length} tenants)`;
}

/** `mail-dead`: mails the sender gave up on (MAIL_MAX_ATTEMPTS tries, or a permanent SMTP refusal). */
export async function listDeadMails(app: INestApplicationContext, limit = 100): Promise<string> {
  const dead = await app.get(OutboxRepository).listDead(limit);
  if (dead.length === 0) return 'no dead mail';
  const lines = dead.map(
    (m) =>
      `${m.updated_at.toISOString()}  ${m._id}  ${m.template}  to=${m.to}  tenant=${m.tenant_id ?? '-'}  tries=${m.attempts}  ${m.last_error ?? ''}`,
  );
  return `${dead.length} dead mail(s), most recent first:\n${lines.join('\n')}`;
}

/** Recomputes a deleted tenant's erasure receipt signature with this environment's ERASURE_RECEIPT_KEY. */
export async function verifyErasureReceipt(app: INestApplicationContext, tenantId: string): Promise<string> {
  const r = await app.get(ErasureReceipts).read(tenantId);
  const what = `erasure receipt of tenant ${r.receipt.tenant_id} (completed ${r.receipt.completed_at}, key id ${r.key_id})`;
  if (!r.signature_valid) throw new Error(`${what}: signature does NOT verify (tampered, or signed with another key)`);
  return `${what}: signature valid`;
}

/** Undoes tenant imports whose process died half way (also done by every instance, every minute). */
export async function purgeFailedImports(app: INestApplicationContext): Promise<string> {
  const undone = await app.get(ImportUndo).sweep(IMPORT_STALE_AFTER_MS);
  return `undid ${undone.length} crashed tenant imports${undone.length ? `: ${undone.join(', ')}` : ''}`;
}

export interface ProvisionTenantsArgs {
  count: number;
  prefix: string;
  password: string;
  concurrency: number;
  /** Write one JSON line per tenant (`{id, domain, email, admin_id}`) to this function (benchmarks read them). */
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
