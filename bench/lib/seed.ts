import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Server, api } from './harness';

/** A seeded tenant: its admin (logged in) and one project. */
export interface SeededTenant {
  tenantId: string;
  adminId: string;
  email: string;
  password: string;
  token: string;
  projectId: string;
  /** The cluster holding its database (MONGODB_CLUSTERS name). */
  cluster: string;
}

export interface SeededUser {
  userId: string;
  email: string;
  password: string;
  token: string;
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function pool<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const runId = randomBytes(3).toString('hex');

/** Milliseconds spent in each seeding step, summed over all tenants seeded (latency under concurrency). */
export const seedTimings = { register: 0, login: 0, project: 0, session: 0, tenants: 0, retries: 0 };
let serial = 0;

function password(): string {
  return `Bench-${randomBytes(9).toString('base64url')}`;
}

export async function login(server: Server, email: string, pass: string): Promise<string> {
  const { access_token } = await api<{ access_token: string }>(server, 'POST', '/api/v1/auth/login', {
    email,
    password: pass,
  });
  return access_token;
}

/** Self-service sign-up through the API (provisions the tenant database), login, one project. */
export async function seedTenant(server: Server, withProject = true): Promise<SeededTenant> {
  const n = serial++;
  const email = `admin-${runId}-${n}@bench.example.com`;
  const pass = password();
  let t = performance.now();
  const lap = (step: keyof typeof seedTimings) => {
    const now = performance.now();
    seedTimings[step] += now - t;
    t = now;
  };
  const reg = await api<{ user: { id: string }; tenant: { id: string } }>(server, 'POST', '/api/v1/auth/register', {
    email,
    password: pass,
    org_name: `Bench ${runId} ${n}`,
  });
  lap('register');
  const token = await login(server, email, pass);
  lap('login');
  const projectId = withProject
    ? (await api<{ id: string }>(server, 'POST', '/api/v1/projects', { name: `bench ${n}` }, token)).id
    : '';
  lap('project');
  seedTimings.tenants++;
  const cluster = (await api<{ cluster: string }>(server, 'GET', `/api/v1/tenants/${reg.tenant.id}`, undefined, token))
    .cluster;
  return { tenantId: reg.tenant.id, adminId: reg.user.id, email, password: pass, token, projectId, cluster };
}

/** `count` more tenants, `concurrency` sign-ups in flight; returns them and the seconds it took. */
export async function seedTenants(
  server: Server,
  count: number,
  concurrency: number,
): Promise<{ tenants: SeededTenant[]; seconds: number }> {
  const started = performance.now();
  const tenants = await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    () => seedTenant(server),
  );
  return { tenants, seconds: (performance.now() - started) / 1000 };
}

/** A plain `user` (not admin) of the tenant, created by its admin, logged in. */
export async function seedUser(server: Server, adminToken: string): Promise<SeededUser> {
  const email = `user-${runId}-${serial++}@bench.example.com`;
  const pass = password();
  const user = await api<{ id: string }>(
    server,
    'POST',
    '/api/v1/users',
    { email, password: pass, role: 'user' },
    adminToken,
  );
  return { userId: user.id, email, password: pass, token: await login(server, email, pass) };
}

/** The first superadmin (bootstrap is open on a fresh deployment), logged in. */
export async function seedSuperadmin(server: Server): Promise<string> {
  const email = `super-${runId}@bench.example.com`;
  const pass = password();
  await api(server, 'POST', '/api/v1/auth/register', { email, password: pass, is_superadmin: true });
  return login(server, email, pass);
}

/**
 * `count` more tenants through the bulk CLI (`provision-tenants`: batched master inserts, tenant
 * databases and indexes with bounded concurrency) against the server's deployment, then each
 * admin's session and one project made inside the server by the bench-only `POST /bench/seed`
 * (bench/seed-routes.ts: the app's SessionService and the tenant's model, no HTTP login per tenant).
 */
export async function provisionTenants(
  server: Server,
  count: number,
  concurrency: number,
): Promise<{ tenants: SeededTenant[]; seconds: number; cliSeconds: number }> {
  const started = performance.now();
  const pass = password();
  const lines = await runCli(
    server,
    ['provision-tenants', '--count', String(count), '--json', '--concurrency', '16'],
    pass,
  );
  const created = lines
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { id: string; email: string; admin_id: string; cluster: string });
  if (created.length !== count) throw new Error(`provision-tenants made ${created.length} of ${count} tenants`);
  const cliSeconds = (performance.now() - started) / 1000;
  const tenants: SeededTenant[] = [];
  for (let i = 0; i < created.length; i += SEED_BATCH) {
    const batch = created.slice(i, i + SEED_BATCH);
    const at = performance.now();
    const made = await retry503(() =>
      api<Array<{ token: string; project_id: string }>>(server, 'POST', '/bench/seed', {
        tenants: batch.map((t) => ({ tenant_id: t.id, admin_id: t.admin_id })),
        concurrency,
      }),
    );
    seedTimings.session += performance.now() - at;
    seedTimings.tenants += batch.length;
    batch.forEach((t, j) =>
      tenants.push({
        tenantId: t.id,
        adminId: t.admin_id,
        email: t.email,
        password: pass,
        token: made[j].token,
        projectId: made[j].project_id,
        cluster: t.cluster,
      }),
    );
  }
  return { tenants, seconds: (performance.now() - started) / 1000, cliSeconds };
}

/** Tenants per `POST /bench/seed` call. */
const SEED_BATCH = 500;

/** Seeding on a loaded machine: a 503 (database deadline, "retry shortly") is retried, 5 times at most. */
async function retry503<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 5 || !/: 503 /.test((err as Error).message)) throw err;
      seedTimings.retries++;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Runs the app's CLI (`dist-bench/src/cli.js`) with the server's environment; its stdout lines. */
function runCli(server: Server, args: string[], stdin: string): Promise<string[]> {
  const cli = join(__dirname, '..', '..', 'src', 'cli.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, ...server.env, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(out.split('\n').filter(Boolean));
      else reject(new Error(`cli ${args[0]} exited with ${code}: ${err.slice(-500)}`));
    });
    child.stdin.end(stdin);
  });
}
