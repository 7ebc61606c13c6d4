import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { join } from 'node:path';
import autocannon from 'autocannon';

// Plain CommonJS helper shared with the dev server and the e2e harness.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../../../tools/services.cjs') as {
  startFerretDb(): Promise<{
    url: string;
    port: number;
    child: ChildProcess;
    stop(): Promise<void>;
    destroy(): Promise<void>;
    dataDir: string;
  }>;
  startRedis(): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }>;
  freePort(): Promise<number>;
};

export interface Services {
  mongoUrl: string;
  /**
   * A second FerretDB, the deployment's second cluster (`MONGODB_CLUSTERS`): one FerretDB process
   * holds at most ~6,600 tenant databases here (3 file descriptors each, hard limit 20,000).
   */
  mongoUrl2?: string;
  redisUrl: string;
  /** Port FerretDB listens on (to count the app's connections to it). */
  mongoPort: number;
  /** Ports of every FerretDB started. */
  mongoPorts: number[];
  /** Process ids, for CPU and memory accounting (`ferretdb`: both FerretDB processes). */
  pids: { ferretdb: number[]; redis: number };
  stop(): Promise<void>;
}

/** FerretDB (one, or two for a two-cluster deployment) and Redis, each in its own process. */
export async function startServices(ferretDbs: 1 | 2 = 1): Promise<Services> {
  const [ferret, redis, ferret2] = await Promise.all([
    services.startFerretDb(),
    services.startRedis(),
    ferretDbs === 2 ? services.startFerretDb() : undefined,
  ]);
  return {
    mongoUrl: ferret.url,
    mongoUrl2: ferret2?.url,
    redisUrl: redis.url,
    mongoPort: ferret.port,
    mongoPorts: [ferret.port, ...(ferret2 ? [ferret2.port] : [])],
    pids: { ferretdb: [ferret.child.pid!, ...(ferret2 ? [ferret2.child.pid!] : [])], redis: redis.child.pid! },
    stop: async () => void (await Promise.all([ferret.destroy(), ferret2?.destroy(), redis.stop()])),
  };
}

export interface Server {
  url: string;
  pid: number;
  port: number;
  /** Environment the server was started with (so a second server can join the same deployment). */
  env: Record<string, string>;
  /** The child's first IPC message ('ready', or the cluster primary's { ready, pids }). */
  ready: unknown;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Script to fork instead of the bench server (compiled path, relative to dist-bench/bench). */
  script?: string;
  /** Node flags for the child (e.g. --expose-gc, --cpu-prof). */
  execArgv?: string[];
  /** Extra arguments for the script. */
  args?: string[];
}

/** Starts the production build (plus bench routes) in its own process: load never shares its core. */
export async function startServer(
  svc: Services,
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<Server> {
  const port = await services.freePort();
  const serverEnv: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    MONGODB_URL: svc.mongoUrl,
    REDIS_URL: svc.redisUrl,
    MASTER_DB_NAME: `bench_${randomBytes(4).toString('hex')}`,
    SECRET_KEY: randomBytes(48).toString('base64url'),
    ERASURE_RECEIPT_KEY: randomBytes(48).toString('base64url'),
    LOG_LEVEL: 'warn',
    DOCS_ENABLED: 'false',
    ALLOW_SUPERADMIN_BOOTSTRAP: 'true',
    MAIL_DISABLED: 'true',
    ...env,
  };
  serverEnv.PORT = String(port);
  const child: ChildProcess = fork(join(__dirname, '..', options.script ?? 'server.js'), options.args ?? [], {
    execArgv: options.execArgv ?? [],
    env: {
      ...process.env,
      ...serverEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<unknown>((resolve, reject) => {
    child.once('message', (message) => resolve(message));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    port,
    env: serverEnv,
    ready,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function api<T>(server: Server, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A tenant with its admin logged in and one project. */
export async function seedTenant(server: Server): Promise<{ token: string; projectId: string; tenantId: string }> {
  const email = `bench-${randomBytes(5).toString('hex')}@example.com`;
  const password = `Bench-${randomBytes(8).toString('hex')}`;
  const reg = await api<{ tenant: { id: string } }>(server, 'POST', '/api/v1/auth/register', {
    email,
    password,
    org_name: `Bench ${randomBytes(5).toString('hex')}`,
  });
  const { access_token } = await api<{ access_token: string }>(server, 'POST', '/api/v1/auth/login', {
    email,
    password,
  });
  const project = await api<{ id: string }>(server, 'POST', '/api/v1/projects', { name: 'bench' }, access_token);
  return { token: access_token, projectId: project.id, tenantId: reg.tenant.id };
}

export interface LoadResult {
  name: string;
  /** Completed requests (any status) per second of the run (of its steady-state window). */
  rps: number;
  /** Latency percentiles in ms, exact (every response's duration is kept), 2xx and errors alike. */
  p50: number;
  p99: number;
  /** Transport errors (timeouts included) + non-2xx responses: every scenario expects 0. */
  errors: number;
  /** Responses by status code (all of them, 2xx too). */
  statuses: Record<string, number>;
  /** Requests that got no response: socket errors, and timeouts among them. */
  socketErrors: number;
  timeouts: number;
  requests: number;
  /** Seconds the run lasted. */
  seconds: number;
  connections: number;
}

/** One request of a rotating load: built anew for every request autocannon sends. */
export interface RequestSpec {
  method?: string;
  path: string;
  token?: string;
  /** A tenant API key, sent as `X-API-Key` (instead of a bearer token). */
  apiKey?: string;
  /** JSON-encoded as the request body. */
  body?: unknown;
}

export interface LoadOptions {
  token?: string;
  /** A tenant API key, sent as `X-API-Key` (instead of a bearer token). */
  apiKey?: string;
  seconds: number;
  connections: number;
  method?: string;
  /** JSON body (sent with content-type application/json). */
  body?: unknown;
  /** Builds the n-th request (n counts from 0 across all connections): rotate tenants, accounts... */
  next?: (n: number) => RequestSpec;
  /** Requests per second across all connections (fixed-rate load); unlimited by default. */
  overallRate?: number;
  /**
   * Responses in the first `skipSeconds` are left out of the rate and the percentiles (the
   * pipeline filling up): for slow requests (logins), the rate over a steady-state window.
   */
  skipSeconds?: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Drives `url` (its origin, when `next` picks paths) with autocannon from this process. */
export async function load(name: string, url: string, opts: LoadOptions): Promise<LoadResult> {
  const json = (body: unknown) => (body === undefined ? undefined : JSON.stringify(body));
  const headersFor = (token: string | undefined, body: unknown, apiKey?: string): Record<string, string> => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(apiKey ? { 'x-api-key': apiKey } : {}),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  });
  let n = 0;
  const next = opts.next;
  const requests = next
    ? [
        {
          setupRequest: (req: autocannon.Request) => {
            const spec = next(n++);
            return {
              ...req,
              method: (spec.method ?? 'GET') as autocannon.Request['method'],
              path: spec.path,
              headers: headersFor(spec.token, spec.body, spec.apiKey),
              body: json(spec.body),
            };
          },
        },
      ]
    : undefined;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const skipNs = BigInt(Math.round((opts.skipSeconds ?? 0) * 1e9));
  // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
  const instance = autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    method: (opts.method ?? 'GET') as autocannon.Request['method'],
    headers: headersFor(opts.token, opts.body, opts.apiKey),
    body: json(opts.body),
    requests,
    overallRate: opts.overallRate,
  }) as unknown as Promise<autocannon.Result> & EventEmitter;
  const tracker: EventEmitter = instance;
  tracker.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (skipNs === 0n || process.hrtime.bigint() - started >= skipNs) latencies.push(ms);
  });
  const result = await instance;
  const seconds = Number(process.hrtime.bigint() - started - skipNs) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  return {
    name,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    // autocannon counts a timeout in `errors` as well: not added twice.
    errors: result.errors + result.non2xx,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat?.count ?? 0]),
    ),
    socketErrors: result.errors,
    timeouts: result.timeouts,
    requests: result.requests.total,
    seconds,
    connections: opts.connections,
  };
}

/**
 * What went wrong in a load, or '' when every request got a 2xx: "3 x 401, 1 x 503, 2 socket
 * errors (1 timeout)". The scenarios send valid requests as an allowed caller, so any of these
 * means the figures measure failures (fast 401s, 503s) instead of the work.
 */
export function errorSummary(r: Pick<LoadResult, 'statuses' | 'socketErrors' | 'timeouts'>): string {
  const parts = Object.entries(r.statuses)
    .filter(([code, count]) => !code.startsWith('2') && count > 0)
    .map(([code, count]) => `${count} x ${code}`);
  if (r.socketErrors > 0) parts.push(`${r.socketErrors} socket errors (${r.timeouts} timeouts)`);
  return parts.join(', ');
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function table(rows: LoadResult[]): string {
  const lines = ['| scenario | req/s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${Math.round(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.errors} |`);
  return lines.join('\n');
}
