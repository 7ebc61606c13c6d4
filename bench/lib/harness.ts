import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';

// Plain CommonJS helper shared with the dev server and the e2e harness.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../../../tools/services.cjs') as {
  startFerretDb(): Promise<{ url: string; stop(): Promise<void>; dataDir: string }>;
  startRedis(): Promise<{ url: string; stop(): Promise<void> }>;
  freePort(): Promise<number>;
};

export interface Services {
  mongoUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

export async function startServices(): Promise<Services> {
  const [ferret, redis] = await Promise.all([services.startFerretDb(), services.startRedis()]);
  return {
    mongoUrl: ferret.url,
    redisUrl: redis.url,
    stop: async () => void (await Promise.all([ferret.stop(), redis.stop()])),
  };
}

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the production build (plus bench routes) in its own process: load never shares its core. */
export async function startServer(svc: Services, env: Record<string, string> = {}): Promise<Server> {
  const port = await services.freePort();
  const child: ChildProcess = fork(join(__dirname, '..', 'server.js'), [], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      MONGODB_URL: svc.mongoUrl,
      REDIS_URL: svc.redisUrl,
      MASTER_DB_NAME: `bench_${randomBytes(4).toString('hex')}`,
      SECRET_KEY: randomBytes(48).toString('base64url'),
      LOG_LEVEL: 'warn',
      DOCS_ENABLED: 'false',
      ALLOW_SUPERADMIN_BOOTSTRAP: 'true',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
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
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

export async function load(
  name: string,
  url: string,
  opts: { token?: string; seconds: number; connections: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

export function table(rows: LoadResult[]): string {
  const lines = ['| scenario | req/s | p50 ms | p99 ms | errors |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`);
  return lines.join('\n');
}
