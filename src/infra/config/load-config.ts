import { isAbsolute, resolve } from 'node:path';
import { emailTextProblem, normalizeEmail } from '../../common/validation/email-text';
import { parseAccountLifecycle } from './account-lifecycle.config';
import type { AppConfig, NodeEnv } from './app-config';
import { parseArchiveConfig } from './archive-config';
import { type ClusterConfig, DEFAULT_CLUSTER, parseClusters } from './clusters-config';
import { ConfigError } from './config.error';
import { EnvReader, type RawEnv } from './env-reader';
import { parseMailConfig } from './mail-config';
import { MIN_SECRET_BYTES, loadOrCreateDevSecret } from './secret-key';

const DB_NAME = /^[A-Za-z0-9_-]{1,63}$/; // FerretDB's rule, stricter than MongoDB's
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Validates the environment into a typed AppConfig, or throws ConfigError listing every problem.
 * Pure apart from the development secret file; called once at boot.
 */
export function loadConfig(env: RawEnv, cwd = process.cwd()): AppConfig {
  const r = new EnvReader(env);
  const nodeEnv: NodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';

  const dataDirRaw = r.string('DATA_DIR', '.data');
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const masterDbName = r.string('MASTER_DB_NAME', 'master_tenant');
  if (!DB_NAME.test(masterDbName)) r.problems.push('MASTER_DB_NAME must match [A-Za-z0-9_-]{1,63}');

  const mongodbUrl = r.url('MONGODB_URL', ['mongodb:', 'mongodb+srv:']);
  const clusters = resolveClusters(r, mongodbUrl ?? 'mongodb://127.0.0.1:27017');
  if (production && !r.raw('MONGODB_URL') && !r.raw('MONGODB_CLUSTERS'))
    r.problems.push('MONGODB_URL is required in production');
  const movePauseAt =
    r.raw('MOVE_PAUSE_AT') === undefined ? undefined : r.oneOf('MOVE_PAUSE_AT', ['copy', 'switch'], 'copy');
  if (production && movePauseAt) r.problems.push('MOVE_PAUSE_AT is a test hook and is refused in production');

  const corsOrigins = parseCorsOrigins(r);
  const trustProxy = parseTrustProxy(r);
  const secret = resolveSecret(r, production, dataDir);

  const superEmail = r.raw('SUPERADMIN_EMAIL');
  const superPassword = r.raw('SUPERADMIN_PASSWORD');
  const superEmailProblem = superEmail === undefined ? undefined : emailTextProblem(normalizeEmail(superEmail));
  if (superEmailProblem) r.problems.push(`SUPERADMIN_EMAIL ${superEmailProblem}`);
  if ((superEmail === undefined) !== (superPassword === undefined)) {
    r.problems.push('SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD must be set together');
  }

  const port = r.int('PORT', 8000, 0, 65535);
  const redisUrl = r.url('REDIS_URL', ['redis:', 'rediss:']);
  const config: AppConfig = {
    nodeEnv,
    host: r.string('HOST', '0.0.0.0'),
    port,
    secretKey: secret.value,
    secretSource: secret.source,
    mongodbUrl: clusters[0].url,
    mongoClusters: clusters,
    moveLeaseMs: r.int('MOVE_LEASE_MS', 30000, 1000, 600000),
    movePauseAt,
    masterDbName,
    mongoServerSelectionTimeoutMs: r.int('MONGO_SERVER_SELECTION_TIMEOUT_MS', 2000, 100, 60000),
    mongoMaxPoolSize: r.int('MONGO_MAX_POOL_SIZE', 100, 1, 1000),
    mongoOperationTimeoutMs: r.int('MONGO_OPERATION_TIMEOUT_MS', 5000, 100, 120000),
    tenantConnectionCacheSize: r.int('TENANT_CONNECTION_CACHE_SIZE', 2000, 10, 1000000),
    // Long: every change invalidates it (locally, in Redis, and on other instances over pub/sub).
    // With Redis the lifetime only bounds a change made behind the service's back (a hand edit in
    // the database): 5 min. Without it other instances keep their own copy until it expires, so the
    // lifetimes stay short (they bound the revocation lag there, see docs/security.md).
    tenantStatusTtlMs: r.int('TENANT_STATUS_TTL_MS', redisUrl ? 300000 : 60000, 0, 300000),
    redisUrl,
    cacheTtlMs: r.int('CACHE_TTL_MS', redisUrl ? 300000 : 30000, 1000, 86400000),
    cacheTimeoutMs: r.int('CACHE_TIMEOUT_MS', 150, 10, 10000),
    localCacheMaxEntries: r.int('LOCAL_CACHE_MAX_ENTRIES', 100000, 100, 10000000),
    accessTokenMemoEntries: r.int('ACCESS_TOKEN_MEMO_ENTRIES', 20000, 0, 1000000),
    localCacheTtlMs: r.int('LOCAL_CACHE_TTL_MS', 60000, 0, 300000),
    localCacheFallbackTtlMs: r.int('LOCAL_CACHE_FALLBACK_TTL_MS', 500, 0, 10000),
    corsOrigins,
    docsEnabled: r.bool('DOCS_ENABLED', !production),
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'warn' : 'info'),
    logFormat: r.oneOf('LOG_FORMAT', ['auto', 'pretty', 'json'], 'auto'),
    bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10000, 0, 120000),
    trustProxy,
    dataDir,
    jwt: {
      issuer: r.string('JWT_ISSUER', 'multi-tenant-backend'),
      audience: r.string('JWT_AUDIENCE', 'multi-tenant-backend-api'),
      accessTtlSeconds: r.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
      refreshTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 300, 365 * 86400),
    },
    security: {
      bcryptCost: r.int('BCRYPT_COST', 12, 4, 15),
      // One thread of libuv's pool (UV_THREADPOOL_SIZE, 4 by default) stays free of bcrypt for
      // file system, DNS and zlib work; on few cores set it to cores - 1 to keep the event loop a core.
      bcryptConcurrency: r.int('BCRYPT_CONCURRENCY', Math.max(1, (Number(env.UV_THREADPOOL_SIZE) || 4) - 1), 1, 1024),
      passwordMinLength: r.int('PASSWORD_MIN_LENGTH', 8, 8, 64),
      allowSelfSignup: r.bool('ALLOW_SELF_SIGNUP', true),
      allowSuperadminBootstrap: r.bool('ALLOW_SUPERADMIN_BOOTSTRAP', !production),
      signupMaxTenantsPerEmail: r.int('SIGNUP_MAX_TENANTS_PER_EMAIL', 3, 1, 100000),
      // The accounts index answers at most 50 accounts per email (AccountsRepository.findByEmail).
      loginMaxAccountsWithoutTenant: r.int('LOGIN_MAX_ACCOUNTS_WITHOUT_TENANT', 3, 1, 50),
    },
    rateLimitEnabled: r.bool('RATE_LIMIT_ENABLED', true),
    rateLimits: {
      loginIp: r.rate('RATE_LIMIT_LOGIN_IP', { count: 30, windowSeconds: 60 }),
      loginAccountIp: r.rate('RATE_LIMIT_LOGIN_ACCOUNT_IP', { count: 5, windowSeconds: 900 }),
      loginAccount: r.rate('RATE_LIMIT_LOGIN_ACCOUNT', { count: 20, windowSeconds: 900 }),
      refreshIp: r.rate('RATE_LIMIT_REFRESH_IP', { count: 60, windowSeconds: 60 }),
      registerIp: r.rate('RATE_LIMIT_REGISTER_IP', { count: 10, windowSeconds: 600 }),
      signupEmail: r.rate('RATE_LIMIT_SIGNUP_EMAIL', { count: 3, windowSeconds: 86400 }),
      forgotPasswordIp: r.rate('RATE_LIMIT_FORGOT_PASSWORD_IP', { count: 10, windowSeconds: 600 }),
      forgotPasswordEmail: r.rate('RATE_LIMIT_FORGOT_PASSWORD_EMAIL', { count: 3, windowSeconds: 3600 }),
      accountTokenIp: r.rate('RATE_LIMIT_ACCOUNT_TOKEN_IP', { count: 30, windowSeconds: 600 }),
      resendVerification: r.rate('RATE_LIMIT_RESEND_VERIFICATION', { count: 3, windowSeconds: 3600 }),
    },
    loginSlowdown: parseLoginSlowdown(r),
    accountLifecycle: parseAccountLifecycle(r),
    metricsToken: parseMetricsToken(r),
    otelEndpoint: r.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    auditRetentionDays: r.int('AUDIT_RETENTION_DAYS', 0, 0, 36500) || undefined,
    bootstrapSuperadmin:
      superEmail && superPassword ? { email: normalizeEmail(superEmail), password: superPassword } : undefined,
    mail: parseMailConfig(r, production, port),
    invitationTtlSeconds: r.int('INVITATION_TTL_SECONDS', 7 * 86400, 1, 90 * 86400),
    archive: parseArchiveConfig(r, production, secret.value),
  };

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** MONGODB_CLUSTERS when set (its `default` holds the master database), else MONGODB_URL as `default`. */
function resolveClusters(r: EnvReader, mongodbUrl: string): ClusterConfig[] {
  const raw = r.raw('MONGODB_CLUSTERS');
  if (raw === undefined) return [{ name: DEFAULT_CLUSTER, url: mongodbUrl }];
  const { clusters, problems } = parseClusters(raw);
  r.problems.push(...problems);
  const master = clusters.find((c) => c.name === DEFAULT_CLUSTER);
  if (!master) return [{ name: DEFAULT_CLUSTER, url: mongodbUrl }];
  if (r.raw('MONGODB_URL') !== undefined && r.raw('MONGODB_URL') !== master.url)
    r.problems.push('MONGODB_URL and the "default" cluster of MONGODB_CLUSTERS differ: set one of them');
  return [master, ...clusters.filter((c) => c !== master)];
}

function resolveSecret(
  r: EnvReader,
  production: boolean,
  dataDir: string,
): { value: string; source: AppConfig['secretSource'] } {
  const given = r.raw('SECRET_KEY');
  if (given !== undefined) {
    if (Buffer.byteLength(given) < MIN_SECRET_BYTES) {
      r.problems.push(`SECRET_KEY must be at least ${MIN_SECRET_BYTES} bytes (generate one: openssl rand -base64 48)`);
    }
    return { value: given, source: 'env' };
  }
  if (production) {
    r.problems.push('SECRET_KEY is required in production (generate one: openssl rand -base64 48)');
    return { value: '', source: 'env' };
  }
  const dev = loadOrCreateDevSecret(dataDir);
  return { value: dev.secret, source: dev.source };
}

/** Long enough not to be guessed; compared in constant time (infra/metrics/metrics-token.ts). */
const MIN_METRICS_TOKEN_CHARS = 16;

function parseMetricsToken(r: EnvReader): string | undefined {
  const token = r.raw('METRICS_TOKEN');
  if (token === undefined) return undefined;
  if (!/^\S+$/.test(token) || token.length < MIN_METRICS_TOKEN_CHARS) {
    r.problems.push(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_CHARS} characters without spaces`);
  }
  return token;
}

function parseLoginSlowdown(r: EnvReader): AppConfig['loginSlowdown'] {
  const stepMs = r.int('LOGIN_SLOWDOWN_STEP_MS', 500, 0, 60000);
  const maxMs = r.int('LOGIN_SLOWDOWN_MAX_MS', 10000, 0, 120000);
  if (maxMs < stepMs)
    r.problems.push(`LOGIN_SLOWDOWN_MAX_MS (${maxMs}) must be at least LOGIN_SLOWDOWN_STEP_MS (${stepMs})`);
  return { stepMs, maxMs };
}

function parseCorsOrigins(r: EnvReader): string[] {
  const raw = r.raw('BACKEND_CORS_ORIGINS');
  if (raw === undefined) return [];
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      r.problems.push(`BACKEND_CORS_ORIGINS entry "${origin}" must be * or an origin like https://app.example.com`);
    }
  }
  if (origins.includes('*') && origins.length > 1) {
    r.problems.push('BACKEND_CORS_ORIGINS: * cannot be combined with explicit origins');
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

function parseTrustProxy(r: EnvReader): false | string[] {
  const raw = r.raw('TRUST_PROXY');
  if (raw === undefined || ['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry) && entry !== 'loopback') {
      r.problems.push(`TRUST_PROXY entry "${entry}" must be an IP address, a CIDR range or "loopback"`);
    }
  }
  return entries;
}
