import { randomBytes } from 'node:crypto';
import { type Server, api } from './harness';

/** A seeded tenant: its admin (logged in) and one project. */
export interface SeededTenant {
  tenantId: string;
  adminId: string;
  email: string;
  password: string;
  token: string;
  projectId: string;
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
export const seedTimings = { register: 0, login: 0, project: 0, tenants: 0 };
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
  return { tenantId: reg.tenant.id, adminId: reg.user.id, email, password: pass, token, projectId };
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
