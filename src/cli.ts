import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { CliModule } from './cli/cli.module';
import {
  auditPrune,
  auditVerify,
  createSuperadmin,
  provisionTenants,
  listDeadMails,
  purgeFailedImports,
  purgeIdempotencyKeys,
  purgeSessions,
  syncIndexes,
  verifyErasureReceipt,
} from './cli/commands';
import { AppError } from './common/errors/app-error';
import { ConfigError } from './infra/config/config.error';
import { loadDotEnv } from './infra/config/dotenv';
import { loadConfig } from './infra/config/load-config';
import { MasterConnection } from './infra/database/master-connection.service';
import { PinoNestLogger, createLogger } from './infra/logging/logger';

const USAGE = `usage: npm run cli -- <command>
  create-superadmin --email EMAIL [--name NAME]   password from stdin (piped), else SUPERADMIN_PASSWORD
  sync-indexes                                    (re)build indexes of the master and every tenant database
  purge-sessions                                  delete expired refresh-token sessions
  purge-idempotency-keys                          delete stored Idempotency-Key responses past 24 h
  mail-dead                                       list mails the sender gave up on (newest first, at most 100)
  purge-failed-imports                            undo tenant imports whose process died half way
  erasure-receipt-verify TENANT_ID                check a deleted tenant's erasure receipt signature
  audit-verify [--tenant ID]                      check the platform's (or a tenant's) audit hash chain; exit 1 if broken
  audit-prune [--days N]                          delete audit events older than AUDIT_RETENTION_DAYS (or N) days
  provision-tenants --count N [--prefix bench] [--concurrency 8] [--json]
                                                  N tenants with their databases, indexes and an admin each
                                                  (admin-<domain>@example.com), all with the password from
                                                  stdin (piped), else PROVISION_PASSWORD; --json: one line per tenant`;
const COMMANDS = [
  'create-superadmin',
  'sync-indexes',
  'purge-sessions',
  'purge-idempotency-keys',
  'mail-dead',
  'purge-failed-imports',
  'erasure-receipt-verify',
  'audit-verify',
  'audit-prune',
  'provision-tenants',
];

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value)) throw new Error('--days must be a whole number of days');
  return Number(value);
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      tenant: { type: 'string' },
      days: { type: 'string' },
      count: { type: 'string' },
      prefix: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const command = positionals[0];
  if (!command || !COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  // The same environment as the server (the SUPERADMIN_EMAIL/SUPERADMIN_PASSWORD pair included,
  // so a production environment that sets both validates here too).
  const env = loadDotEnv(process.env);
  const config = loadConfig(env);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: new PinoNestLogger(createLogger({ logLevel: 'warn' })),
    abortOnError: false,
  });
  try {
    if (!app.get(MasterConnection).isOpen) throw new Error('MongoDB is not reachable (check MONGODB_URL)');
    let line: string;
    if (command === 'create-superadmin') {
      if (!values.email) throw new Error('--email is required');
      const password = (await readStdin()) || env.SUPERADMIN_PASSWORD;
      if (!password) throw new Error('no password: pipe it on stdin or set SUPERADMIN_PASSWORD');
      line = await createSuperadmin(app, values.email, password, values.name ?? null);
    } else if (command === 'sync-indexes') line = await syncIndexes(app);
    else if (command === 'provision-tenants') {
      const count = Number(values.count);
      const concurrency = Number(values.concurrency ?? 8);
      if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error('--count must be 1 to 1000000');
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
        throw new Error('--concurrency must be 1 to 64');
      const password = (await readStdin()) || env.PROVISION_PASSWORD;
      if (!password) throw new Error('no password: pipe it on stdin or set PROVISION_PASSWORD');
      const lines: string[] = [];
      line = await provisionTenants(app, {
        count,
        prefix: values.prefix ?? 'bench',
        password,
        concurrency,
        emit: values.json ? (l) => lines.push(l) : undefined,
        progress: (l) => process.stderr.write(`${l}\n`),
      });
      // Waits until written: process.exit would cut a pipe's pending output (beyond its 64 KiB buffer).
      if (lines.length > 0) await new Promise((done) => process.stdout.write(`${lines.join('\n')}\n`, done));
    } else if (command === 'purge-sessions') line = await purgeSessions(app);
    else if (command === 'audit-verify') line = await auditVerify(app, values.tenant);
    else if (command === 'audit-prune') line = await auditPrune(app, parseDays(values.days));
    else if (command === 'mail-dead') line = await listDeadMails(app);
    else if (command === 'purge-failed-imports') line = await purgeFailedImports(app);
    else if (command === 'erasure-receipt-verify') {
      if (!positionals[1]) throw new Error('erasure-receipt-verify needs a TENANT_ID');
      line = await verifyErasureReceipt(app, positionals[1]);
    } else line = await purgeIdempotencyKeys(app);
    process.stdout.write(`${line}\n`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) for (const p of err.problems) process.stderr.write(`config error: ${p}\n`);
    else if (err instanceof AppError) {
      const details = (err.options.errors ?? []).map((e) => `; ${e.message}`).join('');
      process.stderr.write(`error: ${err.detail}${details}\n`);
    } else process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
