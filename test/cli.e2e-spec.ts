import { cli, requireBuiltCli } from './support/cli-process';
import { MasterConnection } from '../src/infra/database/master-connection.service';
import { Factory, strongPassword, uniqueEmail } from './support/factories';
import { createTestApp, requireService, testEnv, type TestApp } from './support/test-app';

// Promise: dist/cli.js runs in the environment the README recommends for production (SUPERADMIN_EMAIL
// and SUPERADMIN_PASSWORD set for the server's bootstrap, Redis configured), without the HTTP
// pipeline, and each command does its job against the real database.
describe('CLI (dist/cli.js)', () => {
  let t: TestApp;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    requireBuiltCli();
    t = await createTestApp();
    env = {
      ...testEnv({ MASTER_DB_NAME: t.config.masterDbName, LOG_LEVEL: undefined }),
      NODE_ENV: 'production',
      MAIL_DISABLED: 'true',
      REDIS_URL: requireService('E2E_REDIS_URL'),
      SUPERADMIN_EMAIL: 'boot@example.com',
      SUPERADMIN_PASSWORD: strongPassword(),
    };
  });
  afterAll(() => t.close());

  it('create-superadmin: the password from stdin, else SUPERADMIN_PASSWORD; the account logs in', async () => {
    const f = new Factory(t.app);
    const piped = { email: uniqueEmail('ops'), password: strongPassword() };
    const run = await cli(['create-superadmin', '--email', piped.email.toUpperCase()], env, `${piped.password}\n`);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^created superadmin ${piped.email} \\([0-9a-f]{24}\\)\\n$`));
    expect((await f.login(piped.email, piped.password)).token_type).toBe('bearer');

    const fromEnv = uniqueEmail('ops');
    expect((await cli(['create-superadmin', '--email', fromEnv], env)).code).toBe(0);
    expect((await f.login(fromEnv, env.SUPERADMIN_PASSWORD!)).token_type).toBe('bearer');

    const again = await cli(['create-superadmin', '--email', fromEnv], env, strongPassword());
    expect(again).toEqual({ code: 1, stdout: '', stderr: 'error: A superadmin with this email exists\n' });
    const weak = await cli(['create-superadmin', '--email', uniqueEmail('ops')], env, 'password\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/^error: Password does not meet the policy; password is too common/);
  });

  it('sync-indexes rebuilds the indexes of the master and of every tenant database', async () => {
    const f = new Factory(t.app);
    const tenant = await f.tenant();
    const db = t.app.get(MasterConnection).connection.useDb(`t_${tenant.tenantId}`, { useCache: false }).db!;
    const indexNames = async (collection: string) =>
      (await db.collection(collection).indexes()).map((index) => index.name).sort();
    const before = { users: await indexNames('users'), projects: await indexNames('projects') };
    expect(before.users.length).toBeGreaterThan(1); // built at provisioning
    await db.collection('users').dropIndexes();
    await db.collection('projects').dropIndexes();
    expect(await indexNames('users')).toEqual(['_id_']);

    const run = await cli(['sync-indexes'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^indexes synced: master \+ \d+ tenant databases \(.*User.*Project.*\)\n$/);
    expect({ users: await indexNames('users'), projects: await indexNames('projects') }).toEqual(before);
  });

  it('purge-sessions deletes expired sessions only', async () => {
    const sessions = t.app.get(MasterConnection).connection.db!.collection('sessions');
    const f = new Factory(t.app);
    await f.tenant(); // a live session (its admin logged in)
    const live = await sessions.countDocuments({ expires_at: { $gt: new Date() } });
    await sessions.insertOne({
      token_hash: `expired-${Date.now()}`,
      parent: `p-${Date.now()}`,
      expires_at: new Date(0),
    });
    const run = await cli(['purge-sessions'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^purged [1-9]\d* expired sessions, \d+ expired session revocations, \d+ expired account tokens\n$/,
    );
    expect(await sessions.countDocuments({ expires_at: { $lt: new Date() } })).toBe(0);
    expect(await sessions.countDocuments({ expires_at: { $gt: new Date() } })).toBe(live);
  });

  it('purge-idempotency-keys deletes expired idempotency records only', async () => {
    const records = t.app.get(MasterConnection).connection.db!.collection<{ _id: string }>('idempotency_keys');
    const stamp = `${Date.now()}-${Math.random()}`;
    const record = (expires_at: Date) => ({
      fingerprint: 'f',
      state: 'done',
      claim: 'c',
      lease_until: new Date(0),
      status: 201,
      body: '{}',
      expires_at,
    });
    await records.insertOne({ _id: `expired-${stamp}`, ...record(new Date(0)) });
    await records.insertOne({ _id: `live-${stamp}`, ...record(new Date(Date.now() + 3600_000)) });
    const run = await cli(['purge-idempotency-keys'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^purged [1-9]\d* expired idempotency keys\n$/);
    expect(await records.countDocuments({ _id: `expired-${stamp}` })).toBe(0);
    expect(await records.countDocuments({ _id: `live-${stamp}` })).toBe(1);
  });

  it('a bad environment or command: config errors exit 1, usage exits 2, nothing else printed', async () => {
    const half = await cli(['purge-sessions'], { ...env, SUPERADMIN_PASSWORD: undefined });
    expect(half).toEqual({
      code: 1,
      stdout: '',
      stderr: 'config error: SUPERADMIN_EMAIL and SUPERADMIN_PASSWORD must be set together\n',
    });
    const usage = await cli(['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run cli -- <command>/);
  });
});
