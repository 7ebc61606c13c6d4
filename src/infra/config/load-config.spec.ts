import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from './app-config';
import { ConfigError } from './config.error';
import type { RawEnv } from './env-reader';
import { loadConfig } from './load-config';

const GOOD_SECRET = 'k'.repeat(48);

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'load-config-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

/** The problems loadConfig reports for `env` (fails the test when it does not throw ConfigError). */
function problemsOf(env: RawEnv): string[] {
  return configErrorOf(env).problems;
}

function configErrorOf(env: RawEnv): ConfigError {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

// Promise: an empty environment outside production boots with safe, documented defaults.
describe('loadConfig defaults', () => {
  it('fills every setting from its default', () => {
    const config: AppConfig = loadConfig({ SECRET_KEY: GOOD_SECRET }, cwd);
    expect(config).toEqual(
      expect.objectContaining({
        nodeEnv: 'development',
        host: '0.0.0.0',
        port: 8000,
        secretKey: GOOD_SECRET,
        secretSource: 'env',
        mongodbUrl: 'mongodb://127.0.0.1:27017',
        masterDbName: 'master_tenant',
        mongoServerSelectionTimeoutMs: 2000,
        mongoOperationTimeoutMs: 5000,
        redisUrl: undefined,
        corsOrigins: [],
        docsEnabled: true,
        logLevel: 'info',
        logFormat: 'auto',
        trustProxy: false,
        dataDir: join(cwd, '.data'),
        bootstrapSuperadmin: undefined,
      }),
    );
    expect(config.security).toEqual({
      bcryptCost: 12,
      bcryptConcurrency: 3, // UV_THREADPOOL_SIZE (4 when unset) - 1
      passwordMinLength: 8,
      allowSelfSignup: true,
      allowSuperadminBootstrap: true,
      signupMaxTenantsPerEmail: 3,
      loginMaxAccountsWithoutTenant: 3,
    });
    expect(config.jwt.accessTtlSeconds).toBe(900);
    expect(config.rateLimits).toEqual({
      loginIp: { count: 30, windowSeconds: 60 },
      loginAccountIp: { count: 5, windowSeconds: 900 },
      loginAccount: { count: 20, windowSeconds: 900 },
      refreshIp: { count: 60, windowSeconds: 60 },
      registerIp: { count: 10, windowSeconds: 600 },
      signupEmail: { count: 3, windowSeconds: 86400 },
      forgotPasswordIp: { count: 10, windowSeconds: 600 },
      forgotPasswordEmail: { count: 3, windowSeconds: 3600 },
      accountTokenIp: { count: 30, windowSeconds: 600 },
      resendVerification: { count: 3, windowSeconds: 3600 },
    });
    expect(config.accountLifecycle).toEqual({
      resetTokenTtlSeconds: 1800,
      verificationTokenTtlSeconds: 172800,
      requireVerifiedEmail: false,
    });
    expect(config.loginSlowdown).toEqual({ stepMs: 500, maxMs: 10000 });
  });

  it('production turns docs and superadmin bootstrap off by default', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        SECRET_KEY: GOOD_SECRET,
        ERASURE_RECEIPT_KEY: GOOD_SECRET,
        MONGODB_URL: 'mongodb://db:27017',
        MAIL_DISABLED: 'true',
      },
      cwd,
    );
    expect(config.docsEnabled).toBe(false);
    expect(config.security.allowSuperadminBootstrap).toBe(false);
    expect(config.mongodbUrl).toBe('mongodb://db:27017');
  });

  it('derives the erasure receipt key from SECRET_KEY outside production (stable, not the secret itself)', () => {
    const a = loadConfig({ SECRET_KEY: GOOD_SECRET }, cwd).archive;
    expect(a.receiptKeySource).toBe('derived');
    expect(a.receiptKey).not.toBe(GOOD_SECRET);
    expect(loadConfig({ SECRET_KEY: GOOD_SECRET }, cwd).archive.receiptKey).toBe(a.receiptKey);
    expect(a.receiptKeyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads the database operation deadline', () => {
    expect(
      loadConfig({ SECRET_KEY: GOOD_SECRET, MONGO_OPERATION_TIMEOUT_MS: '750' }, cwd).mongoOperationTimeoutMs,
    ).toBe(750);
  });

  it('reads the brute-force settings', () => {
    const config = loadConfig(
      {
        SECRET_KEY: GOOD_SECRET,
        RATE_LIMIT_LOGIN_ACCOUNT_IP: '3/60',
        RATE_LIMIT_LOGIN_ACCOUNT: '40/1800',
        RATE_LIMIT_SIGNUP_EMAIL: '2/3600',
        LOGIN_SLOWDOWN_STEP_MS: '0',
        LOGIN_SLOWDOWN_MAX_MS: '0',
        SIGNUP_MAX_TENANTS_PER_EMAIL: '5',
        LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT: '1',
      },
      cwd,
    );
    expect(config.rateLimits.loginAccountIp).toEqual({ count: 3, windowSeconds: 60 });
    expect(config.rateLimits.loginAccount).toEqual({ count: 40, windowSeconds: 1800 });
    expect(config.rateLimits.signupEmail).toEqual({ count: 2, windowSeconds: 3600 });
    expect(config.loginSlowdown).toEqual({ stepMs: 0, maxMs: 0 });
    expect(config.security.signupMaxTenantsPerEmail).toBe(5);
    expect(config.security.loginMaxAccountsWithoutTenant).toBe(1);
  });
});

// Promise: each bad variable yields exactly one problem line that names it and says what is expected.
describe('loadConfig: one clear line per invalid variable', () => {
  const cases: Array<[string, RawEnv, RegExp]> = [
    ['PORT not a number', { PORT: 'abc' }, /^PORT must be an integer, got "abc"$/],
    ['PORT out of range', { PORT: '70000' }, /^PORT must be between 0 and 65535, got 70000$/],
    ['MONGODB_URL protocol', { MONGODB_URL: 'http://db:27017' }, /^MONGODB_URL must use mongodb: or mongodb\+srv:/],
    ['MONGODB_URL not a URL', { MONGODB_URL: 'not a url' }, /^MONGODB_URL is not a valid URL$/],
    [
      'MONGO_OPERATION_TIMEOUT_MS below the floor',
      { MONGO_OPERATION_TIMEOUT_MS: '50' },
      /^MONGO_OPERATION_TIMEOUT_MS must be between 100 and 120000, got 50$/,
    ],
    [
      'MONGO_OPERATION_TIMEOUT_MS not a number',
      { MONGO_OPERATION_TIMEOUT_MS: '3s' },
      /^MONGO_OPERATION_TIMEOUT_MS must be an integer/,
    ],
    ['MASTER_DB_NAME', { MASTER_DB_NAME: 'bad.name' }, /^MASTER_DB_NAME must match \[A-Za-z0-9_-\]\{1,63\}$/],
    [
      'BACKEND_CORS_ORIGINS entry',
      { BACKEND_CORS_ORIGINS: 'https://ok.example.com,ftp://files.example.com' },
      /^BACKEND_CORS_ORIGINS entry "ftp:\/\/files\.example\.com" must be \* or an origin/,
    ],
    [
      'BACKEND_CORS_ORIGINS with a path',
      { BACKEND_CORS_ORIGINS: 'https://app.example.com/login' },
      /^BACKEND_CORS_ORIGINS entry "https:\/\/app\.example\.com\/login"/,
    ],
    ['short SECRET_KEY', { SECRET_KEY: 'too-short' }, /^SECRET_KEY must be at least 32 bytes/],
    [
      'short ERASURE_RECEIPT_KEY',
      { ERASURE_RECEIPT_KEY: 'too-short' },
      /^ERASURE_RECEIPT_KEY must be at least 32 bytes/,
    ],
    [
      'inflated archive bound below the compressed one',
      { TENANT_ARCHIVE_MAX_BYTES: '4096', TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES: '2048' },
      /^TENANT_ARCHIVE_MAX_UNCOMPRESSED_BYTES must be at least TENANT_ARCHIVE_MAX_BYTES/,
    ],
    [
      'RATE_LIMIT_LOGIN_ACCOUNT_IP shape',
      { RATE_LIMIT_LOGIN_ACCOUNT_IP: '5 per 900' },
      /^RATE_LIMIT_LOGIN_ACCOUNT_IP must look like COUNT\/SECONDS \(e\.g\. 30\/60\), got "5 per 900"$/,
    ],
    [
      'RATE_LIMIT_SIGNUP_EMAIL zero',
      { RATE_LIMIT_SIGNUP_EMAIL: '0/86400' },
      /^RATE_LIMIT_SIGNUP_EMAIL must look like COUNT\/SECONDS/,
    ],
    [
      'SIGNUP_MAX_TENANTS_PER_EMAIL zero',
      { SIGNUP_MAX_TENANTS_PER_EMAIL: '0' },
      /^SIGNUP_MAX_TENANTS_PER_EMAIL must be between 1 and 100000, got 0$/,
    ],
    [
      'LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT above the index page',
      { LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT: '51' },
      /^LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT must be between 1 and 50, got 51$/,
    ],
    ['LOGIN_SLOWDOWN_STEP_MS', { LOGIN_SLOWDOWN_STEP_MS: 'fast' }, /^LOGIN_SLOWDOWN_STEP_MS must be an integer/],
    [
      'LOGIN_SLOWDOWN_MAX_MS below the step',
      { LOGIN_SLOWDOWN_STEP_MS: '2000', LOGIN_SLOWDOWN_MAX_MS: '1000' },
      /^LOGIN_SLOWDOWN_MAX_MS \(1000\) must be at least LOGIN_SLOWDOWN_STEP_MS \(2000\)$/,
    ],
  ];

  it.each(cases)('%s', (_name, env, line) => {
    const problems = problemsOf({ SECRET_KEY: GOOD_SECRET, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(line);
  });

  it('production requires SECRET_KEY, MONGODB_URL and ERASURE_RECEIPT_KEY (and generates no secret file)', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATA_DIR: join(cwd, 'data'), MAIL_DISABLED: 'true' });
    expect(problems).toEqual([
      'MONGODB_URL is required in production',
      expect.stringMatching(/^SECRET_KEY is required in production/),
      expect.stringMatching(/^ERASURE_RECEIPT_KEY is required in production/),
    ]);
    expect(() => statSync(join(cwd, 'data', 'secret-key'))).toThrow(/ENOENT/);
  });
});

// Promise: an operator fixes everything in one pass, because every problem is reported at once.
describe('loadConfig: all problems at once', () => {
  it('lists every bad variable in one ConfigError', () => {
    const err = configErrorOf({
      NODE_ENV: 'production',
      MAIL_DISABLED: 'true',
      PORT: 'abc',
      MASTER_DB_NAME: 'has space',
      BACKEND_CORS_ORIGINS: 'not-an-origin',
      LOG_LEVEL: 'loud',
      LOG_FORMAT: 'fancy',
    });
    expect(err.problems).toHaveLength(8);
    const names = [
      'ERASURE_RECEIPT_KEY',
      'PORT',
      'MASTER_DB_NAME',
      'BACKEND_CORS_ORIGINS',
      'LOG_LEVEL',
      'LOG_FORMAT',
      'SECRET_KEY',
      'MONGODB_URL',
    ];
    for (const name of names) {
      expect(err.problems.filter((p) => p.startsWith(`${name} `))).toHaveLength(1);
      expect(err.message).toContain(`  - ${name} `);
    }
  });
});

// Promise: without SECRET_KEY, development gets one private, persistent secret (tokens survive restarts).
describe('development secret', () => {
  it('is generated into DATA_DIR/secret-key with mode 0600 and reused on the next load', () => {
    const dataDir = join(cwd, 'state');
    const first = loadConfig({ DATA_DIR: dataDir }, cwd);
    expect(first.secretSource).toBe('generated');
    expect(Buffer.byteLength(first.secretKey)).toBeGreaterThanOrEqual(32);

    const file = join(dataDir, 'secret-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);

    const second = loadConfig({ DATA_DIR: dataDir }, cwd);
    expect(second.secretSource).toBe('persisted');
    expect(second.secretKey).toBe(first.secretKey);
  });

  it('a relative DATA_DIR is resolved against the working directory', () => {
    const config = loadConfig({ DATA_DIR: 'rel' }, cwd);
    expect(config.dataDir).toBe(join(cwd, 'rel'));
    expect(readFileSync(join(cwd, 'rel', 'secret-key'), 'utf8').trim()).toBe(config.secretKey);
  });

  it('replaces a persisted secret that is too short', () => {
    const dataDir = join(cwd, 'state');
    loadConfig({ DATA_DIR: dataDir }, cwd);
    writeFileSync(join(dataDir, 'secret-key'), 'short\n');
    const config = loadConfig({ DATA_DIR: dataDir }, cwd);
    expect(config.secretSource).toBe('generated');
    expect(config.secretKey).not.toBe('short');
    expect(Buffer.byteLength(config.secretKey)).toBeGreaterThanOrEqual(32);
  });
});

// Promise: a ConfigError can be printed or logged safely: it never carries a secret.
describe('ConfigError never leaks secrets', () => {
  const everything = (err: ConfigError) => [err.message, String(err.stack), ...err.problems].join('\n');

  it('does not contain the SECRET_KEY value', () => {
    const secret = 'hunter2-but-short';
    const err = configErrorOf({ SECRET_KEY: secret, PORT: 'abc' });
    expect(err.problems.some((p) => p.startsWith('SECRET_KEY '))).toBe(true);
    expect(everything(err)).not.toContain(secret);
  });

  it.each([
    ['wrong protocol', 'http://admin:Pa55-w0rd-XYZ@db.example.com:27017/app'],
    ['unparseable', 'mongodb://admin:Pa55-w0rd-XYZ@db.example.com:notaport/app'],
    ['valid, alongside other problems', 'mongodb://admin:Pa55-w0rd-XYZ@db.example.com:27017/app'],
  ])('does not contain a MONGODB_URL password (%s)', (_name, url) => {
    const err = configErrorOf({ SECRET_KEY: GOOD_SECRET, MONGODB_URL: url, PORT: 'abc' });
    expect(everything(err)).not.toContain('Pa55-w0rd-XYZ');
    expect(everything(err)).not.toContain('admin:');
  });

  it('does not contain a REDIS_URL password', () => {
    const err = configErrorOf({ SECRET_KEY: GOOD_SECRET, REDIS_URL: 'http://:r3dis-Secret@cache:6379' });
    expect(err.problems).toEqual([expect.stringMatching(/^REDIS_URL must use redis: or rediss:/)]);
    expect(everything(err)).not.toContain('r3dis-Secret');
  });
});

describe('observability settings', () => {
  it('leaves METRICS_TOKEN and OTEL_EXPORTER_OTLP_ENDPOINT unset by default', () => {
    expect(loadConfig({ SECRET_KEY: GOOD_SECRET }, cwd)).toEqual(
      expect.objectContaining({ metricsToken: undefined, otelEndpoint: undefined }),
    );
  });

  it('accepts a METRICS_TOKEN of 16 characters or more and an http(s) OTLP endpoint', () => {
    const config = loadConfig(
      { SECRET_KEY: GOOD_SECRET, METRICS_TOKEN: 'm'.repeat(16), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' },
      cwd,
    );
    expect(config).toEqual(expect.objectContaining({ metricsToken: 'm'.repeat(16), otelEndpoint: 'http://otel:4318' }));
  });

  it('refuses a short or spaced METRICS_TOKEN without echoing it', () => {
    for (const token of ['short-token', 'a token with spaces inside']) {
      const err = configErrorOf({ SECRET_KEY: GOOD_SECRET, METRICS_TOKEN: token });
      expect(err.problems).toEqual(['METRICS_TOKEN must be at least 16 characters without spaces']);
      expect(JSON.stringify(err.problems) + err.message).not.toContain(token);
    }
  });

  it('refuses an OTLP endpoint that is not http(s)', () => {
    expect(problemsOf({ SECRET_KEY: GOOD_SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://otel:4317' })).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT must use http: or https:/),
    ]);
  });
});
