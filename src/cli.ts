import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AppError } from './common/errors/app-error';
import { ConfigError } from './infra/config/config.error';
import { loadDotEnv } from './infra/config/dotenv';
import { loadConfig } from './infra/config/load-config';
import { MongoConnectionService } from './infra/database/mongo-connection.service';
import { PinoNestLogger, createLogger } from './infra/logging/logger';
import { TenantConnectionManager } from './infra/tenancy/tenant-connection.manager';
import { TenantSchemaRegistry } from './infra/tenancy/tenant-schema.registry';
import { AuthService } from './modules/auth/auth.service';
import { SessionsRepository } from './modules/auth/sessions.repository';
import { MasterIndexesService } from './modules/master-indexes.service';
import { TenantsRepository } from './modules/tenants/tenants.repository';

const USAGE = `usage: npm run cli -- <command>
  create-superadmin --email EMAIL [--name NAME]   password from SUPERADMIN_PASSWORD or stdin
  sync-indexes                                    (re)build indexes of the master and every tenant database
  purge-sessions                                  delete expired refresh-token sessions`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  const command = positionals[0];
  if (!command || !['create-superadmin', 'sync-indexes', 'purge-sessions'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  // SUPERADMIN_PASSWORD is this command's input, not the server's start-up bootstrap setting
  // (which also needs SUPERADMIN_EMAIL): keep it out of the config.
  const { SUPERADMIN_PASSWORD: cliPassword, ...env } = loadDotEnv(process.env);
  const config = loadConfig(env);
  const logger = createLogger({ logLevel: 'warn' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  try {
    const mongo = app.get(MongoConnectionService);
    if (!mongo.isOpen) throw new Error('MongoDB is not reachable (check MONGODB_URL)');
    switch (command) {
      case 'create-superadmin': {
        if (!values.email) throw new Error('--email is required');
        const password = cliPassword ?? (await readStdin());
        const admin = await app
          .get(AuthService)
          .createSuperadmin(values.email.trim().toLowerCase(), password, values.name ?? null);
        process.stdout.write(`created superadmin ${admin.email} (${String(admin._id)})\n`);
        break;
      }
      case 'sync-indexes': {
        await app.get(MasterIndexesService).sync();
        const manager = app.get(TenantConnectionManager);
        const schemas = app.get(TenantSchemaRegistry).all();
        const tenants = await app
          .get(TenantsRepository)
          .model.find({ status: { $in: ['active', 'suspended'] } })
          .lean()
          .exec();
        for (const tenant of tenants) await manager.syncIndexes(String(tenant._id), schemas);
        process.stdout.write(`indexes synced: master + ${tenants.length} tenant databases\n`);
        break;
      }
      case 'purge-sessions': {
        const removed = await app.get(SessionsRepository).purgeExpired(new Date());
        process.stdout.write(`purged ${removed} expired sessions\n`);
        break;
      }
    }
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
