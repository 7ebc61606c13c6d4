import type { AccountLifecycleConfig } from './account-lifecycle.config';
import type { ClusterConfig } from './clusters-config';
import type { RateLimitName, RateLimitRule } from '../rate-limit/rate-limit.types';
import type { MailConfig } from './mail-config';
import type { ArchiveConfig } from './archive-config';

/** The validated, typed configuration. Built once at boot by `loadConfig`; nothing else reads `process.env`. */
export type NodeEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** HS256 signing secret (>= 32 bytes). */
  secretKey: string;
  /** Where it came from, for the boot log (never the value itself). */
  secretSource: 'env' | 'generated' | 'persisted';
  /** The `default` cluster's URL: it holds the master database. */
  mongodbUrl: string;
  /** MONGODB_CLUSTERS (or MONGODB_URL alone: one cluster `default`); `default` always first. */
  mongoClusters: ClusterConfig[];
  /** How long a tenant move's worker holds its lease without renewing it (crash takeover). */
  moveLeaseMs: number;
  /** Test hook (MOVE_PAUSE_AT, refused in production): a tenant move waits forever at that step. */
  movePauseAt: 'copy' | 'switch' | undefined;
  masterDbName: string;
  mongoServerSelectionTimeoutMs: number;
  mongoMaxPoolSize: number;
  /**
   * Deadline of one database operation against a stalled server (pool wait, connect, round trip,
   * the driver's retry; see mongo-options.ts); past it the request answers 503
   * DATABASE_UNAVAILABLE. Readiness pings within it too.
   */
  mongoOperationTimeoutMs: number;
  /** Tenants whose connection + models stay cached (LRU, idle ones evicted). */
  tenantConnectionCacheSize: number;
  /** How long a tenant's status is cached: a suspension is enforced within this. */
  tenantStatusTtlMs: number;
  /** Undefined: in-memory cache. */
  redisUrl: string | undefined;
  cacheTtlMs: number;
  /** Upper bound for one cache call before it counts as a miss (Redis slow or down). */
  cacheTimeoutMs: number;
  /** The in-process cache in front of Redis (or the cache itself without Redis): entries, LRU. */
  localCacheMaxEntries: number;
  /**
   * Access tokens whose signature was verified, remembered by their exact text so the next request
   * with the same token skips the HMAC and JSON work (0: verify every time). Sized to the sessions
   * active within a token's lifetime: a smaller memo, cycled through, hits nothing.
   */
  accessTokenMemoEntries: number;
  /** How long an entry lives in the in-process cache while invalidations arrive (0: no local layer in front of Redis). */
  localCacheTtlMs: number;
  /** Its lifetime while the invalidation channel is lost (0: bypass the local layer meanwhile). */
  localCacheFallbackTtlMs: number;
  /** `['*']` or an explicit allow-list of origins. */
  corsOrigins: string[];
  docsEnabled: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT; `auto`: human-readable in development on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  /** Trusted reverse proxies for X-Forwarded-For (fastify `trustProxy`); false = trust none. */
  trustProxy: boolean | string[];
  dataDir: string;
  jwt: {
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  security: {
    bcryptCost: number;
    /** bcrypt hashes/compares at once: below libuv's pool, so logins cannot take every thread. */
    bcryptConcurrency: number;
    passwordMinLength: number;
    allowSelfSignup: boolean;
    allowSuperadminBootstrap: boolean;
    /** Self-service sign-ups (tenants) one email may hold; a superadmin is not bound by it. */
    signupMaxTenantsPerEmail: number;
    /** Beyond this many accounts for one email, login requires `tenant` (bounds the bcrypt work). */
    loginMaxAccountsWithoutTenant: number;
  };
  rateLimitEnabled: boolean;
  rateLimits: Record<RateLimitName, RateLimitRule>;
  /** Delay added per login attempt over the per-account limit (`loginAccount`), capped at `maxMs`. */
  loginSlowdown: { stepMs: number; maxMs: number };
  /** Reset and verification link lifetimes, REQUIRE_VERIFIED_EMAIL (account-lifecycle.config.ts). */
  accountLifecycle: AccountLifecycleConfig;
  /**
   * METRICS_TOKEN: bearer token of GET /metrics. Unset: /metrics is open in development/test and
   * answers 404 in production (never an open metrics endpoint in production by accident).
   */
  metricsToken: string | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: traces exported over OTLP/HTTP when set (loaded by main.ts before Nest). */
  otelEndpoint: string | undefined;
  bootstrapSuperadmin: { email: string; password: string } | undefined;
  /** AUDIT_RETENTION_DAYS: `cli audit-prune` deletes older audit events; undefined (unset or 0): keep all. */
  auditRetentionDays: number | undefined;
  /** Mail delivery (SMTP_URL, MAIL_FROM, PUBLIC_APP_URL, MAIL_*): see mail-config.ts. */
  mail: MailConfig;
  /** INVITATION_TTL_SECONDS: how long an invitation link stays valid. */
  invitationTtlSeconds: number;
  /** Tenant export/import archives and erasure receipts (archive-config.ts). */
  archive: ArchiveConfig;
}

/** Injection token for AppConfig (an interface has no runtime value). */
export const APP_CONFIG = Symbol('APP_CONFIG');
