import { databasesOn, projectNamesOn, twoClusters, withClient } from './support/clusters';
import { strongPassword, uniqueEmail } from './support/factories';
import { httpRequest, requireBuiltServer, type ServerProcess, spawnServer, waitForStatus } from './support/real-server';
import { freePort } from './support/services';
import { testEnv } from './support/test-app';

const clusters = twoClusters();
const PROJECTS = 60;

interface Fixture {
  port: number;
  env: Record<string, string | undefined>;
  tenantId: string;
  root: Record<string, string>;
  admin: Record<string, string>;
}

/** Waits until `text` shows in the server's output (the move's pause line), or fails. */
async function waitForOutput(server: ServerProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!server.stdout().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${server.stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function call(port: number, method: string, path: string, headers?: Record<string, string>, json?: unknown) {
  return httpRequest(port, { method, path, headers, json, agent: false });
}

// Promise: the move is a persisted state machine: the process SIGKILLed while it copies, or just
// after it switched the tenant record, and started again, finishes the move (or would roll it
// back), with every document on the target exactly once and the tenant served from one cluster.
describe('tenant move survives a SIGKILL of the real server (dist/main.js)', () => {
  let server: ServerProcess | undefined;

  beforeAll(() => requireBuiltServer());
  afterEach(() => server?.kill());

  async function boot(env: Record<string, string | undefined>, port: number): Promise<ServerProcess> {
    const started = spawnServer(env);
    await waitForStatus(port, '/health/ready', 200, 30000);
    return started;
  }

  async function prepare(pauseAt: 'copy' | 'switch'): Promise<Fixture> {
    const port = await freePort();
    const env = testEnv({
      PORT: `${port}`,
      HOST: '127.0.0.1',
      MONGODB_CLUSTERS: clusters.env,
      MOVE_LEASE_MS: '2000',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    server = await boot({ ...env, MOVE_PAUSE_AT: pauseAt }, port);
    const email = uniqueEmail('root');
    const password = strongPassword();
    const reg = await call(port, 'POST', '/api/v1/auth/register', {}, { email, password, is_superadmin: true });
    expect(reg.statusCode).toBe(201);
    const root = { authorization: `Bearer ${await token(port, email, password)}` };
    const adminEmail = uniqueEmail('admin');
    const adminPassword = strongPassword();
    const domain = `crash-${Math.random().toString(16).slice(2, 10)}`;
    const made = await call(port, 'POST', '/api/v1/tenants', root, {
      name: 'Crash Test',
      domain,
      email: adminEmail,
      admin_name: 'Crash Admin',
      admin_password: adminPassword,
      cluster: 'eu',
    });
    expect(made.statusCode).toBe(201);
    const tenantId = (made.json() as { id: string }).id;
    const admin = { authorization: `Bearer ${await token(port, adminEmail, adminPassword)}` };
    for (let i = 0; i < PROJECTS; i++) {
      const res = await call(port, 'POST', '/api/v1/projects', admin, { name: `p-${i}`, description: 'before' });
      expect(res.statusCode).toBe(201);
    }
    return { port, env, tenantId, root, admin };
  }

  async function token(port: number, email: string, password: string): Promise<string> {
    const res = await call(port, 'POST', '/api/v1/auth/login', {}, { email, password });
    expect(res.statusCode).toBe(200);
    return (res.json() as { access_token: string }).access_token;
  }

  async function killAndResume(fx: Fixture): Promise<Record<string, unknown>> {
    const running = server as ServerProcess;
    running.child.kill('SIGKILL');
    await running.exited;
    server = await boot(fx.env, fx.port); // no MOVE_PAUSE_AT: the resumer takes the move over
    const deadline = Date.now() + 45_000;
    for (;;) {
      const move = (await call(fx.port, 'GET', `/api/v1/tenants/${fx.tenantId}/move`, fx.root)).json() as Record<
        string,
        unknown
      >;
      if (move.status === 'done' || move.status === 'failed') return move;
      if (Date.now() > deadline) throw new Error(`move not finished: ${JSON.stringify(move)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Done: all on the target exactly once, source gone; failed (rolled back): all on the source. */
  async function expectWhole(fx: Fixture, move: Record<string, unknown>): Promise<string> {
    const db = `t_${fx.tenantId}`;
    const expected = Array.from({ length: PROJECTS }, (_, i) => `p-${i}`).sort();
    const [on, off] = move.status === 'done' ? [clusters.default, clusters.eu] : [clusters.eu, clusters.default];
    expect((await projectNamesOn(on, db)).sort()).toEqual(expected);
    expect(await databasesOn(off)).not.toContain(db);
    const users = await withClient(on, (c) => c.db(db).collection('users').countDocuments());
    expect(users).toBe(1);
    // Served from that cluster, writes open again: through the API.
    const list = await call(fx.port, 'GET', '/api/v1/projects?size=100', fx.admin);
    expect((list.json() as { total: number }).total).toBe(PROJECTS);
    const write = await call(fx.port, 'POST', '/api/v1/projects', fx.admin, { name: 'after', description: 'x' });
    expect(write.statusCode).toBe(201);
    expect(await projectNamesOn(on, db)).toContain('after');
    const tenant = (await call(fx.port, 'GET', `/api/v1/tenants/${fx.tenantId}`, fx.root)).json();
    expect(tenant).toEqual(expect.objectContaining({ cluster: move.status === 'done' ? 'default' : 'eu' }));
    return String(move.status);
  }

  it('killed while copying: the move resumes after the restart and completes', async () => {
    const fx = await prepare('copy');
    const started = await call(fx.port, 'POST', `/api/v1/tenants/${fx.tenantId}/move`, fx.root, { cluster: 'default' });
    expect(started.statusCode).toBe(202);
    await waitForOutput(server as ServerProcess, 'paused at copy', 20_000);
    // Mid-copy: part of it is on the target, the tenant still on the source.
    expect(await databasesOn(clusters.default)).toContain(`t_${fx.tenantId}`);
    const move = await killAndResume(fx);
    const outcome = await expectWhole(fx, move);
    expect(move).toEqual(expect.objectContaining({ status: 'done', error: null }));
    console.log(`move crash at copy: ${outcome} after restart, ${PROJECTS} projects whole`);
  }, 120_000);

  it('killed right after the switch: the move resumes after the restart and completes', async () => {
    const fx = await prepare('switch');
    const started = await call(fx.port, 'POST', `/api/v1/tenants/${fx.tenantId}/move`, fx.root, { cluster: 'default' });
    expect(started.statusCode).toBe(202);
    await waitForOutput(server as ServerProcess, 'paused at switch', 40_000);
    // The record already names the target; the fence is up; the source is still there.
    const record = await withClient(clusters.default, (c) =>
      c
        .db(String(fx.env.MASTER_DB_NAME))
        .collection('tenants')
        .findOne({}, { projection: { cluster: 1, moving: 1 } }),
    );
    expect(record).toEqual(expect.objectContaining({ cluster: 'default', moving: true }));
    expect(await databasesOn(clusters.eu)).toContain(`t_${fx.tenantId}`);
    const move = await killAndResume(fx);
    const outcome = await expectWhole(fx, move);
    expect(move).toEqual(expect.objectContaining({ status: 'done', error: null }));
    console.log(`move crash at switch: ${outcome} after restart, ${PROJECTS} projects whole`);
  }, 120_000);
});
