import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CpuProfile, summarize } from './profile';
import { tenantDbName } from '../src/infra/tenancy/tenant-db-name';
import type { DriverJob, DriverResult } from './driver';
import {
  type LoadOptions,
  type LoadResult,
  type Server,
  type Services,
  api,
  errorSummary,
  load,
  ms,
  startServer,
  startServices,
} from './lib/harness';
import { type MachineInfo, OtherLoadMonitor, loadAverage, machineInfo } from './lib/machine';
import { clientsPerWorker } from './lib/pinned';
import { CpuMeter, tcpConnectionsTo, vmRssKiB } from './lib/procfs';
import { redisDelta, redisStats } from './lib/redis-info';
import {
  type SeededTenant,
  type SeededUser,
  login,
  pool,
  seedSuperadmin,
  seedTenants,
  provisionTenants,
  seedTimings,
  seedUser,
} from './lib/seed';

/**
 * `npm run bench`: the whole benchmark of the issue in one run. Services (FerretDB, Redis) and
 * every server under test run in their own processes; autocannon drives the load from this one.
 * Baselines are measured in the same run, so every ratio printed compares figures of one run.
 * See docs/benchmarks.md for the latest table and what each row means.
 */

const env = process.env;
const SMOKE = env.BENCH_SMOKE === '1';
const SECONDS = Number(env.BENCH_SECONDS ?? (SMOKE ? 1 : 5));
const WARMUP = Number(env.BENCH_WARMUP_SECONDS ?? (SMOKE ? 0 : 1));
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(env.BENCH_ROUNDS ?? (SMOKE ? 1 : 3));
const TENANT_COUNTS = (env.BENCH_TENANTS ?? (SMOKE ? '10' : '10,1000,10000')).split(',').map(Number);
const SEED_CONCURRENCY = Number(env.BENCH_SEED_CONCURRENCY ?? 16);
/** Seeding beyond 1,000 tenants runs only when projected to take less than this. */
const SEED_BUDGET_SECONDS = Number(env.BENCH_SEED_BUDGET_SECONDS ?? 600);
/** When a tenant count is over that budget: seed this long instead and measure what it reaches. */
// Off by default: past ~1,000 databases FerretDB's SQLite backend slows seeding to ~6 tenants/s.
const SEED_FALLBACK_SECONDS = Number(env.BENCH_SEED_FALLBACK_SECONDS ?? 0);
const LOGIN_SECONDS = Number(env.BENCH_LOGIN_SECONDS ?? (SMOKE ? 2 : 2 * SECONDS));
const LOGIN_ACCOUNTS = Number(env.BENCH_LOGIN_ACCOUNTS ?? 8);
/** Background scenario-1 load during logins, as a fraction of scenario 1's closed-loop rate. */
const LOGIN_BG_FRACTION = Number(env.BENCH_LOGIN_BG_FRACTION ?? 0.25);
const LOGIN_BCRYPT_COST = env.BENCH_LOGIN_BCRYPT_COST ?? '12';
const THREADPOOL = Number(env.UV_THREADPOOL_SIZE ?? 4);
/**
 * Clusters of the main server's deployment (MONGODB_CLUSTERS, one FerretDB each): two when more
 * than 5,000 tenants are measured, as one FerretDB process holds at most ~6,600 tenant databases
 * on this machine (3 file descriptors each under a hard limit of 20,000 that root cannot raise here).
 */
const CLUSTERS: 1 | 2 = (env.BENCH_CLUSTERS ?? (Math.max(...TENANT_COUNTS) > 5000 ? '2' : '1')) === '2' ? 2 : 1;
/** Extra diagnostic runs that explain a result (not targets). */
const DIAGNOSTICS = env.BENCH_DIAGNOSTICS ? env.BENCH_DIAGNOSTICS === '1' : !SMOKE;
/** `BENCH_ONLY=1,5`: only these scenarios (the main seed still runs); such a run never writes the docs. */
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
/** `BENCH_NODE_ARGS="--max-semi-space-size=32"`: extra Node flags for the main server (experiments). */
const NODE_ARGS = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * `BENCH_PROFILE_SCALE=me` (or `1`), `read` or `write`: a V8 CPU profile of the server over that
 * load of scenario 5 at each tenant count (logged).
 */
const PROFILE_SCALE = env.BENCH_PROFILE_SCALE === '1' ? 'me' : env.BENCH_PROFILE_SCALE;
const WRITE_DOCS = env.BENCH_WRITE_DOCS ? env.BENCH_WRITE_DOCS === '1' : !SMOKE && !ONLY;

const NO_LIMITS = {
  RATE_LIMIT_LOGIN_IP: '1000000/60',
  RATE_LIMIT_LOGIN_ACCOUNT: '1000000/60',
  RATE_LIMIT_REGISTER_IP: '1000000/60',
};

interface Row {
  id: string;
  what: string;
  rate?: number;
  unit?: string;
  p50?: number;
  p99?: number;
  errors?: number;
  cpu?: Record<string, number>;
  redis?: { commands: number; hits: number; misses: number };
  /** Responses counted in the measured window. */
  count?: number;
  vs?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
  notes?: string;
  /**
   * Why this row's figures cannot be trusted: its requests had errors or non-2xx answers (in the
   * measured window, its warm-up or another round of its median), a correctness check did not
   * hold, or the scenario threw. Shown as FAILED in the table, and the run exits non-zero.
   */
  failed?: string;
  /** Failures of the loads this row's ratio compares against (its baseline): also not met. */
  alsoFailed?: string;
}

const rows: Row[] = [];
const facts: string[] = [];
let svc: Services;

/** Lets requests still queued in a server after a load ends finish before it is stopped. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

/**
 * Waits until the server (every worker of a cluster, by several consecutive answers) reports
 * ready: a server listens before MongoDB is connected (by design) and serves cached reads
 * without it, so measuring before this would measure something else. Slow starts are reported.
 */
async function ready(server: Server, label: string): Promise<void> {
  const started = performance.now();
  let ok = 0;
  while (ok < 6) {
    if (performance.now() - started > 60_000) throw new Error(`${label}: not ready (GET /health/ready) within 60 s`);
    const res = await fetch(`${server.url}/health/ready`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    ok = res?.status === 200 ? ok + 1 : 0;
    await res?.arrayBuffer();
    if (ok === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 2) {
    const note = `${label} became ready (MongoDB reachable) only ${seconds.toFixed(1)} s after it listened`;
    facts.push(note);
    log(note);
  }
}

/** Runs one scenario; a failure becomes a row of the table instead of ending the run. */
function wanted(id: string): boolean {
  return !ONLY || ONLY.has(id);
}

async function attempt(id: string, what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const message = (err as Error).message.split('\n')[0].slice(0, 300);
    add({ id, what, target: 'runs', failed: message });
  }
}

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function add(row: Row): Row {
  if (row.alsoFailed) row.failed = [row.failed, `compared with: ${row.alsoFailed}`].filter(Boolean).join('; ');
  // A ratio computed from failed requests meets no target.
  if (row.failed && row.target !== undefined) row.met = false;
  rows.push(row);
  const parts = [
    row.rate !== undefined ? `${row.rate.toFixed(1)} ${row.unit ?? 'req/s'}` : '',
    row.p99 !== undefined ? `p50 ${ms(row.p50 ?? 0)} p99 ${ms(row.p99)} ms` : '',
    row.errors ? `${row.errors} errors` : '',
    row.ratio !== undefined ? `ratio ${row.ratio.toFixed(3)}` : '',
    row.target !== undefined ? `target ${row.target}: ${row.met ? 'met' : 'NOT met'}` : '',
    row.notes ?? '',
    row.failed ? `FAILED: ${row.failed}` : '',
  ];
  log(`${row.id} ${row.what}: ${parts.filter(Boolean).join(', ')}`);
  return row;
}

/**
 * Every scenario sends valid requests as an allowed caller and expects every answer 2xx: any
 * error in any load that fed a row (measured run, warm-up, other rounds) fails the row.
 */
function loadFailures(loads: Array<LoadResult | undefined>): string | undefined {
  const bad = loads.filter((l): l is LoadResult => !!l && l.errors > 0).map((l) => `${l.name}: ${errorSummary(l)}`);
  return bad.length > 0 ? bad.join('; ') : undefined;
}

function fromLoad(id: string, what: string, r: LoadResult, m?: Partial<Measured>): Row {
  return {
    id,
    what,
    rate: r.rps,
    p50: r.p50,
    p99: r.p99,
    errors: r.errors,
    cpu: m?.cpu,
    redis: m?.redis,
    count: r.rps * r.seconds,
    failed: loadFailures([r, m?.warmup]),
  };
}

interface Measured {
  result: LoadResult;
  /** The unrecorded warm-up run (its errors still fail the row). */
  warmup?: LoadResult;
  cpu: Record<string, number>;
  redis: { commands: number; hits: number; misses: number };
}

function pids(server: Server): number[] {
  const ready = server.ready as { pids?: number[] } | undefined;
  return [server.pid, ...(ready?.pids ?? [])];
}

/** Warm-up (not recorded), then the measured run with CPU accounting of every process involved. */
async function measure(
  name: string,
  server: Server,
  path: string,
  opts: Omit<LoadOptions, 'seconds'> & { seconds?: number },
): Promise<Measured> {
  const seconds = opts.seconds ?? SECONDS;
  const warmup =
    WARMUP > 0 ? await load(`${name} (warm-up)`, server.url + path, { ...opts, seconds: WARMUP }) : undefined;
  const redis0 = await redisStats(svc.redisUrl);
  const meter = new CpuMeter({ app: pids(server), db: svc.pids.ferretdb, redis: [svc.pids.redis] }).begin();
  const result = await load(name, server.url + path, { ...opts, seconds });
  const cpu = meter.end();
  return { result, warmup, cpu, redis: redisDelta(redis0, await redisStats(svc.redisUrl)) };
}

function driver(job: DriverJob): Promise<{ result: DriverResult; cpu: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'driver.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(job);
    const meter = new CpuMeter({ app: [child.pid!], db: svc.pids.ferretdb, redis: [svc.pids.redis] }).begin();
    let cpu: Record<string, number> = {};
    child.once('message', (result) => {
      cpu = meter.end();
      child.once('exit', () => resolve({ result: result as DriverResult, cpu }));
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`driver baseline exited with ${code}`)));
  });
}

/**
 * A target check. `baselines`: failures of what the ratio is taken against (the row's own loads
 * are counted by fromLoad): any failure and the row is not met.
 */
function check(
  ratio: number,
  target: string,
  ok: (r: number) => boolean,
  baselines: Array<string | undefined> = [],
): Pick<Row, 'ratio' | 'target' | 'met' | 'alsoFailed'> {
  const failures = baselines.filter(Boolean).join('; ');
  return { ratio, target, met: ok(ratio) && !failures, ...(failures ? { alsoFailed: failures } : {}) };
}

function driverFailure(d: DriverResult): string | undefined {
  return d.errors > 0 ? `${d.errors} of ${d.ops} driver operations failed` : undefined;
}

// ---------------------------------------------------------------------------------------------

async function helloRun(headers: string): Promise<Measured> {
  const hello = await startServer(svc, { HELLO_HEADERS: headers }, { script: 'hello.js' });
  try {
    return await measure(`bare Fastify hello ${headers}`, hello, '/', { connections: CONNECTIONS });
  } finally {
    await settle();
    await hello.stop();
  }
}

async function baselineHello(): Promise<Row> {
  const m = await helloRun('');
  const row = add(fromLoad('B1', 'bare Fastify hello route (own process)', m.result, m));
  if (DIAGNOSTICS) {
    // What the app's security headers cost on their own (explains part of B2 vs B1).
    const helmet = await helloRun('helmet');
    add({
      ...fromLoad(
        'B1',
        "diagnostic: the same hello + the app's security hook (helmet headers computed at boot)",
        helmet.result,
        helmet,
      ),
      vs: 'B1',
      ratio: helmet.result.rps / m.result.rps,
    });
    const fixed = await helloRun('static');
    add({
      ...fromLoad('B1', 'diagnostic: the same hello + the same headers set by hand (reference)', fixed.result, fixed),
      vs: 'B1',
      ratio: fixed.result.rps / m.result.rps,
    });
  }
  return row;
}

interface MainSeed {
  tenants: SeededTenant[];
  user: SeededUser;
  logoutUser: SeededUser;
  superToken: string;
}

async function seedMain(server: Server): Promise<MainSeed> {
  const superToken = await seedSuperadmin(server);
  const { tenants, seconds } = await seedTenants(server, TENANT_COUNTS[0], SEED_CONCURRENCY);
  log(`seeded ${tenants.length} tenants in ${seconds.toFixed(1)} s`);
  const user = await seedUser(server, tenants[0].token);
  const logoutUser = await seedUser(server, tenants[1 % tenants.length].token);
  return { tenants, user, logoutUser, superToken };
}

async function scenario1(server: Server, hello: Row, seed: MainSeed): Promise<Row> {
  const nest = await measure('Nest GET /', server, '/', { connections: CONNECTIONS });
  add({
    ...fromLoad('B2', 'Nest+Fastify public route of the app (GET /)', nest.result, nest),
    vs: 'B1',
    ratio: nest.result.rps / hello.rate!,
  });
  const me = await measure('GET /auth/me', server, '/api/v1/auth/me', {
    token: seed.user.token,
    connections: CONNECTIONS,
  });
  const ratio = me.result.rps / hello.rate!;
  return add({
    ...fromLoad('1', 'GET /api/v1/auth/me as a tenant user (cached)', me.result, me),
    vs: 'B1',
    ...check(ratio, '>= 0.50, 0 errors', (r) => r >= 0.5 && me.result.errors === 0, [hello.failed]),
  });
}

/**
 * The same read with a bearer token and with a tenant API key (`X-API-Key`): what the key lookup
 * (its cached state by hash, then the tenant gate) costs against the token check (a JWT signature
 * and three cache reads issued together). GET /projects/{id}: the same handler and database read.
 */
async function scenarioApiKey(server: Server, seed: MainSeed): Promise<void> {
  const tenant = seed.tenants[0];
  const { key } = await api<{ key: string }>(
    server,
    'POST',
    '/api/v1/api-keys',
    { name: 'bench', role: 'user' },
    tenant.token,
  );
  const path = `/api/v1/projects/${tenant.projectId}`;
  const bearer = await measure('GET /projects/{id} bearer', server, path, {
    token: seed.user.token,
    connections: CONNECTIONS,
  });
  add(fromLoad('1k', 'GET /api/v1/projects/{id} as a tenant user (bearer token)', bearer.result, bearer));
  const keyed = await measure('GET /projects/{id} X-API-Key', server, path, { apiKey: key, connections: CONNECTIONS });
  add({
    ...fromLoad('1k', 'GET /api/v1/projects/{id} with a user-role API key (X-API-Key, cached)', keyed.result, keyed),
    vs: '1k bearer',
    ratio: keyed.result.rps / bearer.result.rps,
  });
}

/**
 * A list page of 20 against a read by id, on the same tenants (issue 12: >= 0.5). The page and its
 * total are cached until a tenant changes (docs/list-pages.md); uncached, on FerretDB each page
 * loaded the whole tenants collection twice (the page and the count).
 */
async function scenarioListPage(server: Server, seed: MainSeed): Promise<void> {
  const opts = { token: seed.superToken, connections: CONNECTIONS };
  const byId = await measure('GET /tenants/{id}', server, `/api/v1/tenants/${seed.tenants[0].tenantId}`, opts);
  add(fromLoad('1l', 'GET /api/v1/tenants/{id} as the superadmin', byId.result, byId));
  const page = await measure('GET /tenants?limit=20', server, '/api/v1/tenants?limit=20', opts);
  add({
    ...fromLoad(
      '1l',
      `GET /api/v1/tenants?limit=20 as the superadmin (${seed.tenants.length} tenants)`,
      page.result,
      page,
    ),
    vs: '1l by id',
    ...check(page.result.rps / byId.result.rps, '>= 0.50, 0 errors', (r) => r >= 0.5 && page.result.errors === 0),
  });
}

async function scenario2(server: Server, seed: MainSeed): Promise<void> {
  const { token } = seed.user;
  const projectId = seed.tenants[0].projectId;
  const pairs: Array<[string, string, string]> = [
    ['resolve the tenant connection, no I/O', '/bench/context/resolve', '/bench/singleton/resolve'],
    ['read one project', `/bench/context/projects/${projectId}`, `/bench/singleton/projects/${projectId}`],
  ];
  const median = (xs: LoadResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)];
  for (const [label, viaContext, viaSingleton] of pairs) {
    const opts = { token, seconds: WARMUP, connections: CONNECTIONS };
    const warmCtx = WARMUP > 0 ? await load('provider warm-up', server.url + viaContext, opts) : undefined;
    const warmSingle = WARMUP > 0 ? await load('singleton warm-up', server.url + viaSingleton, opts) : undefined;
    const ctx: LoadResult[] = [];
    const single: LoadResult[] = [];
    // Alternating rounds, so machine noise hits both routes alike; medians compared.
    for (let i = 0; i < ROUNDS; i++) {
      single.push(
        await load('singleton', server.url + viaSingleton, { token, seconds: SECONDS, connections: CONNECTIONS }),
      );
      ctx.push(await load('provider', server.url + viaContext, { token, seconds: SECONDS, connections: CONNECTIONS }));
    }
    const s = median(single);
    const c = median(ctx);
    // The row shows the median round; an error in any round (or the warm-up) fails it.
    add({
      ...fromLoad('2', `${label}: singleton route (median of ${ROUNDS})`, s),
      failed: loadFailures([warmSingle, ...single]),
    });
    add({
      ...fromLoad('2', `${label}: through the tenant data kit (median of ${ROUNDS})`, c),
      failed: loadFailures([warmCtx, ...ctx]),
      vs: 'singleton',
      ...check(c.rps / s.rps, '>= 0.95 (<= 5% fewer)', (r) => r >= 0.95, [loadFailures([warmSingle, ...single])]),
      notes:
        c.rps <= s.rps
          ? `${((1 - c.rps / s.rps) * 100).toFixed(1)}% fewer req/s`
          : `${((c.rps / s.rps - 1) * 100).toFixed(1)}% more req/s (noise)`,
    });
  }
}

/** The URL of a cluster of the main deployment (`c2`: the second FerretDB, see CLUSTERS). */
function clusterUrl(name: string): string {
  if (name === 'default') return svc.mongoUrl;
  if (name === 'c2' && svc.mongoUrl2) return svc.mongoUrl2;
  throw new Error(`no cluster ${name} in this bench deployment`);
}

/** The main deployment's database settings: one cluster, or two (CLUSTERS). */
function clusterEnv(): Record<string, string> {
  return svc.mongoUrl2 ? { MONGODB_CLUSTERS: `default=${svc.mongoUrl},c2=${svc.mongoUrl2}` } : {};
}

async function scenario3(server: Server, seed: MainSeed): Promise<void> {
  const tenant = seed.tenants[0];
  const base: Omit<DriverJob, 'op'> = {
    url: clusterUrl(tenant.cluster),
    targets: [{ db: tenantDbName(tenant.tenantId), id: tenant.projectId }],
    createdBy: seed.user.userId,
    concurrency: CONNECTIONS,
    seconds: SECONDS,
    maxPoolSize: Number(server.env.MONGO_MAX_POOL_SIZE ?? 100),
  };
  const rawRead = await driver({ ...base, op: 'read' });
  add(
    driverRow(
      'B3',
      `raw driver findOne by _id (mongodb package of Mongoose), ${CONNECTIONS} in flight, own process`,
      rawRead,
    ),
  );
  const read = await measure('GET /projects/:id', server, `/api/v1/projects/${tenant.projectId}`, {
    token: seed.user.token,
    connections: CONNECTIONS,
  });
  add({
    ...fromLoad('3', 'GET /api/v1/projects/{id}', read.result, read),
    vs: 'B3',
    ...check(read.result.rps / rawRead.result.perSecond, '>= 0.75', (r) => r >= 0.75, [driverFailure(rawRead.result)]),
  });
  const rawWrite = await driver({ ...base, op: 'write' });
  add(
    driverRow(
      'B4',
      `raw driver insertOne (mongodb package of Mongoose), ${CONNECTIONS} in flight, own process`,
      rawWrite,
    ),
  );
  const write = await measure('POST /projects', server, '/api/v1/projects', {
    token: seed.user.token,
    method: 'POST',
    body: { name: 'bench project', description: 'written by npm run bench' },
    connections: CONNECTIONS,
  });
  add({
    ...fromLoad('3', 'POST /api/v1/projects', write.result, write),
    vs: 'B4',
    ...check(write.result.rps / rawWrite.result.perSecond, '>= 0.75', (r) => r >= 0.75, [
      driverFailure(rawWrite.result),
    ]),
  });
}

interface ScalePoint {
  tenants: number;
  me: LoadResult;
  read: LoadResult;
  write: LoadResult;
  rawRead: DriverResult;
  rawWrite: DriverResult;
  rssKiB: number;
  heapUsed: number;
  cached: number;
  mongoConnections: number;
}

async function stats(server: Server): Promise<{ tenantConnections: number; memory: NodeJS.MemoryUsage }> {
  return api(server, 'GET', '/bench/stats?gc=1');
}

/**
 * Passes over every tenant (connection handle, models, caches), as a live service has them: until
 * a pass finds its entries in the cache (Redis misses under 1 % of its requests), at most 3. The
 * first pass over many tenants is cold: every entry is read from the database, which is logged.
 */
/** Runs `load` under a V8 CPU profile of the server when BENCH_PROFILE_SCALE names it, and logs the summary. */
async function profiled<T>(what: string, n: number, server: Server, load: () => Promise<T>): Promise<T> {
  if (PROFILE_SCALE !== what) return load();
  await api(server, 'GET', '/bench/profile/start');
  const result = await load();
  const file = join(mkdtempSync(join(tmpdir(), 'bench-scale-')), `${what}-${n}.cpuprofile`);
  await api(server, 'GET', `/bench/profile/stop?file=${encodeURIComponent(file)}`);
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  log(`profile of scenario 5 ${what} @${n} (warm-up and measured window): ${file}\n${summary}`);
  return result;
}

async function warmTenants(server: Server, tenants: SeededTenant[]): Promise<void> {
  for (let pass = 1; pass <= 3; pass++) {
    const started = performance.now();
    const before = await redisStats(svc.redisUrl);
    await pool(tenants, CONNECTIONS, async (t) => {
      await api(server, 'GET', '/api/v1/auth/me', undefined, t.token);
      await api(server, 'GET', `/api/v1/projects/${t.projectId}`, undefined, t.token);
    });
    const { misses } = redisDelta(before, await redisStats(svc.redisUrl));
    const seconds = (performance.now() - started) / 1000;
    log(`warm pass ${pass} over ${tenants.length} tenants: ${seconds.toFixed(1)} s, ${misses} Redis misses`);
    if (misses < 0.01 * 2 * tenants.length) return;
  }
}

/** Load options rotating requests over the tenants, each with its own token. */
function spread(tenants: SeededTenant[], make: (t: SeededTenant) => { method?: string; path: string; body?: unknown }) {
  return {
    connections: CONNECTIONS,
    next: (i: number) => {
      const t = tenants[i % tenants.length];
      return { ...make(t), token: t.token };
    },
  };
}

function driverRow(id: string, what: string, d: { result: DriverResult; cpu: Record<string, number> }): Row {
  return {
    id,
    what,
    rate: d.result.perSecond,
    unit: 'ops/s',
    p50: d.result.p50,
    p99: d.result.p99,
    errors: d.result.errors,
    cpu: d.cpu,
    count: d.result.ops,
    failed: d.result.errors > 0 ? `${d.result.errors} of ${d.result.ops} driver operations failed` : undefined,
  };
}

async function scalePoint(server: Server, tenants: SeededTenant[], createdBy: string): Promise<ScalePoint> {
  const n = tenants.length;
  // Every measured run starts with every tenant warm (a pass over all of them just before), so the
  // three runs compare alike; cache misses that remain come from TTLs expiring during the run.
  await warmTenants(server, tenants);
  const me = await profiled('me', n, server, () =>
    measure(
      `me @${n}`,
      server,
      '',
      spread(tenants, () => ({ path: '/api/v1/auth/me' })),
    ),
  );
  add(fromLoad('5', `scenario 1 spread over ${n} tenants`, me.result, me));
  const job = {
    url: svc.mongoUrl,
    targets: tenants.map((t) => ({ db: tenantDbName(t.tenantId), id: t.projectId, url: clusterUrl(t.cluster) })),
    createdBy,
    concurrency: CONNECTIONS,
    seconds: SECONDS,
    maxPoolSize: Number(server.env.MONGO_MAX_POOL_SIZE ?? 100),
  };
  // The raw driver over the same tenant databases: what FerretDB itself does with more databases.
  const rawRead = await driver({ ...job, op: 'read' });
  add(driverRow('5', `raw driver findOne spread over ${n} tenant databases`, rawRead));
  await warmTenants(server, tenants);
  const read = await profiled('read', n, server, () =>
    measure(
      `read @${n}`,
      server,
      '',
      spread(tenants, (t) => ({ path: `/api/v1/projects/${t.projectId}` })),
    ),
  );
  add({
    ...fromLoad('5', `scenario 3 read spread over ${n} tenants`, read.result, read),
    vs: 'raw driver, same spread',
    ratio: read.result.rps / rawRead.result.perSecond,
  });
  const rawWrite = await driver({ ...job, op: 'write' });
  add(driverRow('5', `raw driver insertOne spread over ${n} tenant databases`, rawWrite));
  await warmTenants(server, tenants);
  const write = await profiled('write', n, server, () =>
    measure(
      `write @${n}`,
      server,
      '',
      spread(tenants, () => ({ method: 'POST', path: '/api/v1/projects', body: { name: 'bench project' } })),
    ),
  );
  add({
    ...fromLoad('5', `scenario 3 write spread over ${n} tenants`, write.result, write),
    vs: 'raw driver, same spread',
    ratio: write.result.rps / rawWrite.result.perSecond,
  });
  const s = await stats(server);
  const point: ScalePoint = {
    tenants: n,
    me: me.result,
    read: read.result,
    write: write.result,
    rawRead: rawRead.result,
    rawWrite: rawWrite.result,
    rssKiB: vmRssKiB(server.pid),
    heapUsed: s.memory.heapUsed,
    cached: s.tenantConnections,
    mongoConnections: svc.mongoPorts.reduce((sum, port) => sum + tcpConnectionsTo([server.pid], port), 0),
  };
  facts.push(
    `${n} tenants: server VmRSS ${(point.rssKiB / 1024).toFixed(1)} MiB, heap used after GC ` +
      `${(point.heapUsed / 2 ** 20).toFixed(1)} MiB (heap total ${(s.memory.heapTotal / 2 ** 20).toFixed(1)} MiB, ` +
      `external ${(s.memory.external / 2 ** 20).toFixed(1)} MiB), ${point.cached} tenant connections cached, ` +
      `${point.mongoConnections} TCP connections to FerretDB`,
  );
  return point;
}

async function scenario5(server: Server, seed: MainSeed): Promise<void> {
  const tenants = [...seed.tenants];
  const points: ScalePoint[] = [];
  let seedRate = 0; // tenants per second, from the last batch
  for (const wanted of TENANT_COUNTS) {
    let target = wanted;
    const projected = seedRate > 0 ? (target - tenants.length) / seedRate : 0;
    if (target > 1000 && projected > SEED_BUDGET_SECONDS) {
      // Too slow to seed within the budget: say so, and go as far as a smaller budget allows
      // instead (whole thousands), so the trend past 1,000 is still measured.
      const reachable = tenants.length + Math.floor((SEED_FALLBACK_SECONDS * seedRate) / 1000) * 1000;
      const note = `${wanted} tenants not measured: seeding ${wanted - tenants.length} more was projected at ${projected.toFixed(0)} s (> ${SEED_BUDGET_SECONDS} s budget, BENCH_SEED_BUDGET_SECONDS) from the measured ${seedRate.toFixed(1)} tenants/s${reachable > tenants.length ? `; measured at ${reachable} instead (what ${SEED_FALLBACK_SECONDS} s of seeding allows, BENCH_SEED_FALLBACK_SECONDS)` : ''}`;
      facts.push(note);
      add({ id: '5', what: `tenant scale @${wanted}`, notes: note });
      if (reachable <= tenants.length) continue;
      target = reachable;
    }
    const missing = target - tenants.length;
    if (missing > 0) {
      log(`provisioning ${missing} tenants with the bulk CLI, then a session + 1 project each (POST /bench/seed)...`);
      const before = { ...seedTimings };
      const meter = new CpuMeter({ app: [server.pid], db: svc.pids.ferretdb, redis: [svc.pids.redis] }).begin();
      const seeded = await provisionTenants(server, missing, SEED_CONCURRENCY);
      const cpu = meter.end();
      seedRate = missing / seeded.seconds;
      tenants.push(...seeded.tenants);
      const sessionSeconds = (seedTimings.session - before.session) / 1000;
      const note =
        `seeding ${missing} tenants (\`npm run cli -- provision-tenants\`: ${seeded.cliSeconds.toFixed(1)} s = ` +
        `${(missing / seeded.cliSeconds).toFixed(1)} tenants/s; then the admin's session and 1 project each inside the server, ` +
        `bench-only POST /bench/seed, ${SEED_CONCURRENCY} in flight: ${sessionSeconds.toFixed(1)} s = ${(missing / sessionSeconds).toFixed(1)} tenants/s): ` +
        `${seeded.seconds.toFixed(1)} s in all = ${seedRate.toFixed(1)} tenants/s` +
        `${seedTimings.retries > before.retries ? ` (${seedTimings.retries - before.retries} retried after a 503)` : ''}; ` +
        `CPU app ${cpu.app.toFixed(0)}%, ` +
        `FerretDB ${cpu.db.toFixed(0)}%, loader ${cpu.loader.toFixed(0)}%, other ${cpu.other.toFixed(0)}%`;
      facts.push(note);
      log(note);
    }
    points.push(await scalePoint(server, tenants.slice(0, target), seed.user.userId));
  }
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length < 2) return;
  // Every larger count against the first: the targets hold at 1,000 and at 10,000 tenants.
  const p99Row = (
    at: ScalePoint,
    label: string,
    a: { p99: number; rate: number; failed?: string },
    b: { p99: number; p50: number; rate: number; failed?: string },
    target: boolean,
  ) =>
    add({
      id: '5',
      what: `${label} @${at.tenants} vs @${first.tenants} tenants`,
      p50: b.p50,
      p99: b.p99,
      vs: `p99 @${first.tenants}`,
      ...(target
        ? check(b.p99 / a.p99, '<= 1.5', (r) => r <= 1.5, [a.failed, b.failed])
        : {
            ratio: b.p99 / a.p99,
            ...(a.failed || b.failed ? { alsoFailed: [a.failed, b.failed].filter(Boolean).join('; ') } : {}),
          }),
      notes: `p99 ${ms(a.p99)} -> ${ms(b.p99)} ms; rate ${Math.round(a.rate)} -> ${Math.round(b.rate)}/s`,
    });
  const api = (r: LoadResult) => ({ p99: r.p99, p50: r.p50, rate: r.rps, failed: loadFailures([r]) });
  const raw = (r: DriverResult) => ({ p99: r.p99, p50: r.p50, rate: r.perSecond, failed: driverFailure(r) });
  for (const point of points.slice(1)) {
    p99Row(point, 'scenario 1 p99', api(first.me), api(point.me), true);
    p99Row(point, 'scenario 3 read p99', api(first.read), api(point.read), true);
    p99Row(
      point,
      'raw driver findOne p99 (FerretDB alone, for comparison)',
      raw(first.rawRead),
      raw(point.rawRead),
      false,
    );
    p99Row(point, 'scenario 3 write p99', api(first.write), api(point.write), true);
    p99Row(
      point,
      'raw driver insertOne p99 (FerretDB alone, for comparison)',
      raw(first.rawWrite),
      raw(point.rawWrite),
      false,
    );
  }
  const perTenantKiB = (last.rssKiB - first.rssKiB) / Math.max(1, last.cached - first.cached);
  const heapPerTenantKiB = (last.heapUsed - first.heapUsed) / 1024 / Math.max(1, last.cached - first.cached);
  add({
    id: '5',
    what: `server memory per cached tenant (${first.cached} -> ${last.cached} cached)`,
    notes: `${perTenantKiB.toFixed(1)} KiB VmRSS per tenant (VmRSS ${(first.rssKiB / 1024).toFixed(0)} -> ${(last.rssKiB / 1024).toFixed(0)} MiB); ${heapPerTenantKiB.toFixed(1)} KiB live heap after GC per tenant`,
  });
  const maxPool = Number(server.env.MONGO_MAX_POOL_SIZE ?? 100);
  const conns = points.map((p) => `${p.mongoConnections} @${p.tenants}`).join(', ');
  const most = Math.max(...points.map((p) => p.mongoConnections));
  add({
    id: '5',
    what: `MongoDB connections held by the server (one pool per cluster, ${CLUSTERS} cluster${CLUSTERS > 1 ? 's' : ''})`,
    notes: `${conns} tenants (TCP to FerretDB, /proc/net/tcp); maxPoolSize ${maxPool}`,
    target: `<= ${CLUSTERS} x (maxPoolSize + 2 monitoring)`,
    met: most <= CLUSTERS * (maxPool + 2),
  });
}

async function scenario6(mainEnv: Record<string, string>, seed: MainSeed): Promise<void> {
  const { PORT: _port, ...deployment } = mainEnv;
  const results: LoadResult[] = [];
  for (const workers of [1, 2]) {
    const cluster = await startServer(svc, { ...deployment, BENCH_WORKERS: String(workers) }, { script: 'cluster.js' });
    try {
      await ready(cluster, `cluster of ${workers}`);
      const m = await measure(`me x${workers}`, cluster, '/api/v1/auth/me', {
        token: seed.user.token,
        connections: CONNECTIONS,
      });
      const { result } = m;
      results.push(result);
      const row = fromLoad('6', `scenario 1 on ${workers} worker${workers > 1 ? 's' : ''} (node:cluster)`, result, m);
      if (workers === 1) add(row);
      else {
        add({
          ...row,
          vs: '1 worker',
          ...check(result.rps / results[0].rps, '>= 1.7', (r) => r >= 1.7, [loadFailures([results[0]])]),
        });
        await crossWorkerChecks(cluster, seed);
      }
    } finally {
      await settle();
      await cluster.stop();
    }
  }
}

/** A change made through one worker must be honoured by the other within 1 s (local caches invalidated over Redis pub/sub). */
async function crossWorkerChecks(cluster: Server, seed: MainSeed): Promise<void> {
  const ready = cluster.ready as { pids: number[] };
  const clients = await clientsPerWorker(cluster.url, ready.pids);
  const [a, b] = [...clients.values()];
  try {
    // logout-all through worker A, then the same access token on worker B.
    const { email, password } = seed.logoutUser;
    const token = await login(cluster, email, password);
    const before = [await a.send('GET', '/api/v1/auth/me', token), await b.send('GET', '/api/v1/auth/me', token)];
    const out = await a.send('POST', '/api/v1/auth/logout-all', token);
    const t0 = performance.now();
    // Each instance caches in process; the invalidation reaches B over Redis pub/sub (ms).
    let after = await b.send('GET', '/api/v1/auth/me', token);
    let tries = 1;
    while (after.status === 200 && performance.now() - t0 < 1000) {
      after = await b.send('GET', '/api/v1/auth/me', token);
      tries++;
    }
    const lag = performance.now() - t0;
    const okLogout = before.every((r) => r.status === 200) && out.status === 204 && after.status === 401;
    add({
      id: '6',
      what: 'logout-all via worker A, then GET /auth/me via worker B',
      target: '401 within 1 s',
      met: okLogout,
      failed: okLogout ? undefined : 'a revoked token was still served by the other worker (or a step failed)',
      notes: `before: A ${before[0].status}, B ${before[1].status} (both cached); logout-all on A: ${out.status}; B: ${after.status} after ${lag.toFixed(1)} ms (${tries} request${tries > 1 ? 's' : ''})`,
    });
    // Tenant suspension by a superadmin through A; a member's token on B.
    const victim = seed.tenants[seed.tenants.length - 1];
    const pre = [
      await a.send('GET', '/api/v1/auth/me', victim.token),
      await b.send('GET', '/api/v1/auth/me', victim.token),
    ];
    const patch = await a.send('PATCH', `/api/v1/tenants/${victim.tenantId}`, seed.superToken, { status: 'suspended' });
    const s0 = performance.now();
    let post = await b.send('GET', '/api/v1/auth/me', victim.token);
    while (post.status === 200 && performance.now() - s0 < 1000)
      post = await b.send('GET', '/api/v1/auth/me', victim.token);
    const suspendLag = performance.now() - s0;
    const code = (JSON.parse(post.body || '{}') as { code?: string; error?: { code?: string } }).code ?? '';
    const okSuspend = pre.every((r) => r.status === 200) && patch.status === 200 && post.status === 403;
    add({
      id: '6',
      what: 'tenant suspended via worker A, then GET /auth/me via worker B',
      target: '403 within 1 s',
      met: okSuspend,
      failed: okSuspend
        ? undefined
        : "a suspended tenant's token was still served by the other worker (or a step failed)",
      notes: `before: A ${pre[0].status}, B ${pre[1].status}; PATCH on A: ${patch.status}; B: ${post.status} ${code || post.body.slice(0, 80)} after ${suspendLag.toFixed(1)} ms`,
    });
  } finally {
    for (const c of clients.values()) c.close();
  }
}

interface Bound {
  perSecond: number;
  hashes: number;
  seconds: number;
  concurrency: number;
  threadpool: number;
  cpu: Record<string, number>;
}

async function bcryptBound(server: Server): Promise<Bound> {
  const meter = new CpuMeter({ app: [server.pid], db: svc.pids.ferretdb, redis: [svc.pids.redis] }).begin();
  const bound = await api<Omit<Bound, 'cpu'>>(
    server,
    'GET',
    `/bench/bcrypt?seconds=${LOGIN_SECONDS}&concurrency=${2 * THREADPOOL}`,
  );
  return { ...bound, cpu: meter.end() };
}

async function scenario4(meRow: Row): Promise<void> {
  const server = await startServer(svc, { BCRYPT_COST: LOGIN_BCRYPT_COST, ...NO_LIMITS });
  try {
    await ready(server, 'login server');
    const { tenants } = await seedTenants(server, LOGIN_ACCOUNTS, LOGIN_ACCOUNTS);
    // The bound is measured before and after the login runs; the higher one is used (a ceiling).
    const bounds = [await bcryptBound(server)];
    // Logins are measured over a steady-state window: the first `skip` seconds (the pipeline
    // filling up, ~1 s per login at this cost) are left out.
    const skip = Math.min(2, LOGIN_SECONDS / 4);
    const logins = {
      connections: 2 * THREADPOOL,
      seconds: LOGIN_SECONDS + skip,
      skipSeconds: skip,
      next: (i: number) => {
        const t = tenants[i % tenants.length];
        return { method: 'POST', path: '/api/v1/auth/login', body: { email: t.email, password: t.password } };
      },
    };
    // Scenario 1 alongside at a fixed rate (a share of its closed-loop rate), so its p99 with and
    // without logins compare the same offered load.
    const bgRate = Math.max(50, Math.round(meRow.rate! * LOGIN_BG_FRACTION));
    const bg = {
      token: tenants[0].token,
      connections: CONNECTIONS,
      overallRate: bgRate,
      seconds: LOGIN_SECONDS + skip,
      skipSeconds: skip,
    };
    const meter = () => new CpuMeter({ app: [server.pid], db: svc.pids.ferretdb, redis: [svc.pids.redis] }).begin();
    const warmup = await load('me warm-up', server.url + '/api/v1/auth/me', { ...bg, seconds: Math.max(WARMUP, 1) });
    let m = meter();
    const alone = await load('me alone', server.url + '/api/v1/auth/me', bg);
    const aloneCpu = m.end();
    m = meter();
    const loginAlone = await load('login', server.url, logins);
    const loginAloneCpu = m.end();
    m = meter();
    const [loginBusy, meBusy] = await Promise.all([
      load('login', server.url, logins),
      load('me with logins', server.url + '/api/v1/auth/me', bg),
    ]);
    const busyCpu = m.end();
    bounds.push(await bcryptBound(server));
    const bound = bounds[0].perSecond >= bounds[1].perSecond ? bounds[0] : bounds[1];
    add({
      id: 'B5',
      what: `bcrypt cost ${LOGIN_BCRYPT_COST} compare on the login server's own hashing threads (PasswordService, BCRYPT_CONCURRENCY default), ${bound.concurrency} in flight`,
      rate: bound.perSecond,
      unit: 'hashes/s',
      cpu: bound.cpu,
      count: bound.hashes,
      notes: `higher of two runs (before and after the logins): ${bounds.map((b) => b.perSecond.toFixed(2)).join(' and ')} hashes/s`,
    });
    add(fromLoad('4', `scenario 1 at a fixed ${bgRate} req/s, no logins`, alone, { cpu: aloneCpu, warmup }));
    add({
      ...fromLoad(
        '4',
        `POST /auth/login (${tenants.length} accounts, ${logins.connections} connections), alone`,
        loginAlone,
        {
          cpu: loginAloneCpu,
        },
      ),
      vs: 'B5',
      ratio: loginAlone.rps / bound.perSecond,
    });
    add({
      ...fromLoad('4', `POST /auth/login, with scenario 1 at ${bgRate} req/s alongside`, loginBusy, { cpu: busyCpu }),
      vs: 'B5',
      ...check(loginBusy.rps / bound.perSecond, '>= 0.90', (r) => r >= 0.9, [loadFailures([meBusy])]),
    });
    add({
      ...fromLoad('4', `scenario 1 at a fixed ${bgRate} req/s, during the logins`, meBusy),
      vs: 'p99 without logins',
      ...check(meBusy.p99 / alone.p99, '<= 2.0', (r) => r <= 2, [loadFailures([alone, loginBusy])]),
      notes: `p99 ${ms(alone.p99)} -> ${ms(meBusy.p99)} ms`,
    });
  } finally {
    await settle();
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

function fmt(x: number | undefined, digits = 0): string {
  return x === undefined ? '' : x.toFixed(digits);
}

function renderTable(): string {
  const lines = [
    '| # | measurement | rate | p50 ms | p99 ms | errors | CPU % app / db / redis / loader / other | app CPU µs/req | Redis cmds/req (misses) | vs | ratio | target | met |',
    '|---|---|---:|---:|---:|---:|---|---:|---:|---|---:|---|---|',
  ];
  for (const r of rows) {
    const rate =
      r.rate === undefined
        ? ''
        : `${r.rate >= 100 ? fmt(r.rate) : fmt(r.rate, 1)}${r.unit && r.unit !== 'req/s' ? ` ${r.unit}` : ''}`;
    const cpu = r.cpu
      ? [r.cpu.app, r.cpu.db, r.cpu.redis, r.cpu.loader, r.cpu.other].map((x) => fmt(x)).join(' / ')
      : '';
    const perReq = r.cpu && r.rate ? fmt((r.cpu.app / 100 / r.rate) * 1e6) : '';
    const requests = r.count ?? 0;
    const redis =
      r.redis && requests > 0 && r.redis.commands / requests >= 0.05
        ? `${(r.redis.commands / requests).toFixed(1)} (${((100 * r.redis.misses) / Math.max(1, r.redis.hits + r.redis.misses)).toFixed(1)}%)`
        : '';
    const met = r.failed ? '**FAILED**' : r.met === undefined ? '' : r.met ? 'met' : '**not met**';
    const what = [r.what, r.notes, r.failed && `FAILED: ${r.failed}`].filter(Boolean).join(' — ');
    lines.push(
      `| ${r.id} | ${what} | ${rate} | ${r.p50 === undefined ? '' : ms(r.p50)} | ${r.p99 === undefined ? '' : ms(r.p99)} | ${r.errors ?? ''} | ${cpu} | ${perReq} | ${redis} | ${r.vs ?? ''} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${r.target ?? ''} | ${met} |`,
    );
  }
  return lines.join('\n');
}

function failedRows(): Row[] {
  return rows.filter((r) => r.failed);
}

function renderReport(
  m: MachineInfo,
  startedAt: Date,
  seconds: number,
  loadBefore: string,
  other: ReturnType<OtherLoadMonitor['stop']>,
): string {
  const vars = Object.entries(env)
    .filter(([k]) => k.startsWith('BENCH_') || k === 'UV_THREADPOOL_SIZE')
    .map(([k, v]) => `${k}=${v}`);
  const command = [...vars, 'npm run bench'].join(' ');
  const targets = rows.filter((r) => r.met !== undefined);
  const failed = failedRows();
  const others = other.top.map((t) => `${t.comm} ${t.cpuSeconds.toFixed(0)} s`).join(', ') || 'none';
  return [
    `Command: \`${command}\`, run ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC, took ${(seconds / 60).toFixed(1)} min.`,
    '',
    `Machine: ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.memGiB} GiB RAM, Linux ${m.kernel}; Node ${m.node}; ` +
      `FerretDB 1.24.2 (SQLite) and redis-server on the same machine.`,
    '',
    `Settings: ${SECONDS} s per measured run (+${WARMUP} s warm-up), ${CONNECTIONS} connections, ` +
      `${ROUNDS} alternating rounds for scenario 2, logins ${LOGIN_SECONDS} s over ${LOGIN_ACCOUNTS} accounts at bcrypt cost ${LOGIN_BCRYPT_COST}, ` +
      `background scenario 1 during logins at ${LOGIN_BG_FRACTION} x its closed-loop rate, ` +
      `servers NODE_ENV=production with LOG_LEVEL=warn (rate limits raised to 1000000/60 on the servers that ` +
      `seed and log in; main server BCRYPT_COST=4 as it only seeds, login server BCRYPT_COST=${LOGIN_BCRYPT_COST}); ` +
      `UV_THREADPOOL_SIZE=${THREADPOOL}; one autocannon in this process drives the load.`,
    '',
    `Other load on the machine: load average ${loadBefore} before the run; other processes used ` +
      `${other.cpuSeconds.toFixed(0)} CPU-seconds during its ${other.wallSeconds.toFixed(0)} s ` +
      `(${((100 * other.cpuSeconds) / other.wallSeconds).toFixed(0)}% of one core on average; top: ${others}).`,
    '',
    `Targets met: ${targets.filter((r) => r.met).length} of ${targets.length} checks in this run.`,
    '',
    `Failed rows (errors or non-2xx answers, a broken check, a scenario that threw): ${failed.length}` +
      (failed.length > 0 ? ` (${failed.map((r) => r.id).join(', ')}); their figures are not measurements.` : '.'),
    '',
    renderTable(),
    '',
    'Columns: rate is requests/s (ops/s or hashes/s for baselines) over the measured window; p50/p99 are ' +
      'exact percentiles of every response (ms; not corrected for coordinated omission); errors = socket ' +
      'errors (timeouts included) + non-2xx, over the measured window; a row is FAILED when any of its loads ' +
      '(measured window, warm-up, other rounds) had one. CPU is % of one core over the window, from /proc: app = the process(es) ' +
      'under test (server, cluster primary + workers, or the raw-driver process), db = FerretDB, loader = ' +
      'autocannon (this process), other = the rest of the machine including kernel network work. app CPU ' +
      'µs/req = app CPU / rate (for logins it includes the bcrypt threads). Redis cmds/req and the miss ' +
      'share come from Redis INFO stats over the window. Ratios compare figures of this run only.',
    '',
    ...facts.map((f) => `- ${f}`),
  ].join('\n');
}

/** Replaces the generated block of docs/benchmarks.md (hand-written text around it is kept), formatted by Prettier. */
async function writeDocs(report: string): Promise<void> {
  const path = join(__dirname, '..', '..', 'docs', 'benchmarks.md');
  const begin = '<!-- bench:begin (written by npm run bench) -->';
  const end = '<!-- bench:end -->';
  let doc: string;
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = `# Benchmarks\n\n${begin}\n${end}\n`;
  }
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  const block = `${begin}\n${report}\n${end}`;
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  // The repository's format check covers docs/: write it as Prettier would.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(doc, { ...options, filepath: path }));
  log(`wrote ${path}`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const loadBefore = loadAverage();
  const machine = machineInfo();
  const other = new OtherLoadMonitor().start();
  log(
    `machine: ${machine.nproc} CPUs, ${machine.cpuModel}, node ${machine.node}; load average ${loadBefore}${SMOKE ? '; SMOKE mode' : ''}`,
  );
  svc = await startServices(CLUSTERS);
  try {
    const hello = await baselineHello();
    const server = await startServer(
      svc,
      // Tenant handles for every measured tenant: an operator sizes it to the active set (README).
      {
        BCRYPT_COST: '4',
        ...NO_LIMITS,
        ...clusterEnv(),
        TENANT_CONNECTION_CACHE_SIZE: String(Math.max(2000, Math.ceil(1.2 * Math.max(...TENANT_COUNTS)))),
      },
      { execArgv: ['--expose-gc', ...NODE_ARGS] },
    );
    let seed: MainSeed;
    try {
      await ready(server, 'main server');
      seed = await seedMain(server);
      // Scenario 4's background rate derives from scenario 1.
      const me = wanted('1') || wanted('4') ? await scenario1(server, hello, seed) : undefined;
      if (wanted('1k')) await attempt('1k', 'API key read', () => scenarioApiKey(server, seed));
      if (wanted('1l')) await attempt('1l', 'list page', () => scenarioListPage(server, seed));
      if (wanted('2')) await attempt('2', 'tenant routing', () => scenario2(server, seed));
      if (wanted('3')) await attempt('3', 'DB-bound read and write', () => scenario3(server, seed));
      // Its own server (bcrypt cost 12); the main one idles meanwhile.
      if (me && wanted('4')) await attempt('4', 'login', () => scenario4(me));
      if (wanted('5')) await attempt('5', 'tenant scale', () => scenario5(server, seed));
    } finally {
      await settle();
      await server.stop();
    }
    if (wanted('6')) await attempt('6', 'multi-process', () => scenario6(server.env, seed));
  } finally {
    await svc.stop();
  }
  const report = renderReport(machine, startedAt, (performance.now() - t0) / 1000, loadBefore, other.stop());
  console.log(`\n${report}\n`);
  if (WRITE_DOCS) await writeDocs(report);
  const failed = failedRows();
  if (failed.length > 0) {
    for (const r of failed) log(`FAILED ${r.id} ${r.what}: ${r.failed}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
