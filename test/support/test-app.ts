import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import type { AppConfig } from '../../src/infra/config/app-config';
import { loadConfig } from '../../src/infra/config/load-config';
import { createLogger } from '../../src/infra/logging/logger';

/** One signing secret per test process: real HS256, never a constant checked into the repo. */
const SECRET = randomBytes(48).toString('base64url');

export function requireService(name: 'E2E_MONGODB_URL' | 'E2E_REDIS_URL'): string {
  const url = process.env[name];
  if (!url)
    throw new Error(`${name} is not set: run the e2e suite through jest.e2e.config.cjs (globalSetup starts it)`);
  return url;
}

/** Environment of a test app: real services, a master database of its own. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    SECRET_KEY: SECRET,
    MONGODB_URL: requireService('E2E_MONGODB_URL'),
    REDIS_URL: requireService('E2E_REDIS_URL'),
    MASTER_DB_NAME: `m_${randomBytes(6).toString('hex')}`,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    // Suites create many tenants from one address; test/rate-limit.e2e-spec.ts sets real limits.
    RATE_LIMIT_LOGIN_IP: '100000/60',
    RATE_LIMIT_LOGIN_ACCOUNT_IP: '100000/60',
    RATE_LIMIT_LOGIN_ACCOUNT: '100000/60',
    RATE_LIMIT_REFRESH_IP: '100000/60',
    RATE_LIMIT_REGISTER_IP: '100000/60',
    RATE_LIMIT_SIGNUP_EMAIL: '100000/60',
    RATE_LIMIT_FORGOT_PASSWORD_IP: '100000/60',
    RATE_LIMIT_FORGOT_PASSWORD_EMAIL: '100000/60',
    RATE_LIMIT_ACCOUNT_TOKEN_IP: '100000/60',
    RATE_LIMIT_RESEND_VERIFICATION: '100000/60',
    ...overrides,
  };
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Test-only modules mounted next to the app's own (createApp's extraModules). */
  extraModules?: Type[];
  /** Receives every JSON log line (set LOG_LEVEL in the overrides: tests default to silent). */
  logLines?: string[];
}

/** A Writable that splits pino's output into lines, for specs that assert on the log. */
export function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

export async function createTestApp(
  overrides: Record<string, string | undefined> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadConfig(testEnv(overrides));
  const logger = createLogger(config, options.logLines ? lineSink(options.logLines) : undefined);
  const app = await createApp(config, logger, options.extraModules);
  return { app, config, close: () => app.close() };
}
