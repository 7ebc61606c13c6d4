import { cli, requireBuiltCli } from './support/cli-process';
import { MasterConnection } from '../src/infra/database/master-connection.service';
import { tenantDbName } from '../src/infra/tenancy/tenant-db-name';
import { strongPassword } from './support/factories';
import { createTestApp, testEnv, type TestApp } from './support/test-app';

// Promise: `cli provision-tenants --count N` makes N served tenants, each with its database, its
// indexes and an admin who logs in with the piped password and works like a signed-up tenant's.
describe('CLI provision-tenants (dist/cli.js)', () => {
  let t: TestApp;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    requireBuiltCli();
    t = await createTestApp();
    env = {
      ...testEnv({ MASTER_DB_NAME: t.config.masterDbName, LOG_LEVEL: undefined }),
      NODE_ENV: 'production',
      MAIL_DISABLED: 'true',
    };
  });
  afterAll(() => t.close());

  it('makes N active tenants with databases, indexes and a working admin each', async () => {
    const password = strongPassword();
    const run = await cli(
      ['provision-tenants', '--count', '5', '--prefix', 'e2e', '--json'],
      env,
      `${password}\n`,
      60_000,
    );
    expect({ code: run.code, stderr: run.stderr.includes('error') ? run.stderr : '' }).toEqual({ code: 0, stderr: '' });
    const tenants = run.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { id: string; domain: string; email: string });
    expect(tenants).toHaveLength(5);
    expect(run.stdout).toMatch(/provisioned 5 tenants in [\d.]+ s/);
    expect(new Set(tenants.map((x) => x.domain)).size).toBe(5);

    const last = tenants[4];
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: last.email, password },
    });
    expect(login.statusCode).toBe(200);
    const auth = { authorization: `Bearer ${login.json().access_token}` };
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
    expect(me.json()).toEqual(
      expect.objectContaining({
        email: last.email,
        role: 'tenant_admin',
        tenant: { id: last.id, name: expect.any(String), domain: last.domain },
      }),
    );
    const project = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: auth,
      payload: { name: 'p' },
    });
    expect(project.statusCode).toBe(201);

    const root = t.app.get(MasterConnection).connection;
    const records = await root
      .db!.collection('tenants')
      .find({ domain: { $in: tenants.map((x) => x.domain) } })
      .toArray();
    expect(records.map((r) => r.status)).toEqual(['active', 'active', 'active', 'active', 'active']);
    expect(records.every((r) => r.created_at instanceof Date)).toBe(true);
    const indexes = await root.useDb(tenantDbName(tenants[0].id)).collection('users').indexes();
    expect(indexes.find((i) => i.name === 'email_1')).toEqual(expect.objectContaining({ unique: true }));
  });

  it('refuses bad arguments with a clear message and creates nothing', async () => {
    const before = await t.app.get(MasterConnection).connection.db!.collection('tenants').countDocuments();
    for (const [args, message] of [
      [['--count', '0'], '--count must be 1 to 1000000'],
      [['--count', '2', '--prefix', 'Bad!'], '--prefix must be 1 to 20 lowercase letters or digits'],
      [['--count', '2', '--concurrency', '0'], '--concurrency must be 1 to 64'],
    ] as const) {
      const run = await cli(['provision-tenants', ...args], env, 'Secret-pass-123\n');
      expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: 1, stderr: `error: ${message}` });
    }
    expect(await t.app.get(MasterConnection).connection.db!.collection('tenants').countDocuments()).toBe(before);
  });
});
