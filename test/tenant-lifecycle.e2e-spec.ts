import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, strongPassword, uniqueEmail } from './support/factories';
import { MasterConnection } from '../src/infra/database/master-connection.service';

/** Suspension, reactivation and deletion of tenants, as seen by their users' tokens. */
describe('tenant lifecycle', () => {
  let t: TestApp;
  let f: Factory;
  let root: Session;

  beforeAll(async () => {
    // Status cached for 1 s here, so "refused within seconds" is measured, not assumed.
    t = await createTestApp({ TENANT_STATUS_TTL_MS: '1000' });
    f = new Factory(t.app);
    root = await f.superadminSession();
  });
  afterAll(() => t.close());

  const me = (auth: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
  const patchTenant = (id: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/tenants/${id}`, headers: root.auth, payload });
  const databases = async (): Promise<string[]> => {
    const db = t.app.get(MasterConnection).connection.db!;
    const { databases: list } = await db.admin().listDatabases();
    return list.map((d: { name: string }) => d.name);
  };

  it('suspension refuses login, refresh and existing access tokens; reactivation restores login', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    expect((await me(user.auth)).statusCode).toBe(200);

    const suspended = await patchTenant(tenant.tenantId, { status: 'suspended' });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().status).toBe('suspended');

    expectErrorBody(await me(user.auth), 403, 'TENANT_SUSPENDED');
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expectErrorBody(login, 403, 'TENANT_SUSPENDED');
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh-token',
      payload: { refresh_token: user.tokens.refresh_token },
    });
    expectErrorBody(refresh, 401, 'INVALID_REFRESH_TOKEN');

    // The superadmin still manages it through the explicit tenant routes.
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${tenant.tenantId}/users`,
      headers: root.auth,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(2);

    expect((await patchTenant(tenant.tenantId, { status: 'active' })).json().status).toBe('active');
    const again = await f.login(user.email, user.password);
    expect((await me({ authorization: `Bearer ${again.access_token}` })).statusCode).toBe(200);
  });

  it('deletion drops the database and refuses every token of its users', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    await f.project(user);
    const dbName = `t_${tenant.tenantId}`;
    expect(await databases()).toContain(dbName);

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${tenant.tenantId}`, headers: root.auth });
    expect(del.statusCode).toBe(204);
    expect(await databases()).not.toContain(dbName);

    for (const s of [tenant.admin, user]) {
      expectErrorBody(await me(s.auth), 401, 'UNAUTHENTICATED');
      const projects = await t.app.inject({ method: 'GET', url: '/api/v1/projects', headers: s.auth });
      expectErrorBody(projects, 401, 'UNAUTHENTICATED');
      const refresh = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh-token',
        payload: { refresh_token: s.tokens.refresh_token },
      });
      expectErrorBody(refresh, 401, 'INVALID_REFRESH_TOKEN');
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: s.email, password: s.password },
      });
      expectErrorBody(login, 401, 'INVALID_CREDENTIALS');
    }
    expectErrorBody(
      await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenant.tenantId}`, headers: root.auth }),
      404,
      'TENANT_NOT_FOUND',
    );
    // Nothing re-created the database, and the domain can be taken again.
    expect(await databases()).not.toContain(dbName);
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: root.auth,
      payload: {
        name: 'Reborn',
        domain: tenant.domain,
        email: uniqueEmail(),
        admin_name: 'R',
        admin_password: strongPassword(),
      },
    });
    expect(reuse.statusCode).toBe(201);
  });

  it('deleting a tenant while its users write: no server error, no database re-created', async () => {
    const tenant = await f.tenant();
    const writers = await Promise.all([f.member(tenant), f.member(tenant), f.member(tenant)]);
    const dbName = `t_${tenant.tenantId}`;
    let stop = false;
    const statuses: number[] = [];
    const load = writers.map(async (w, i) => {
      for (let n = 0; !stop && n < 200; n++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/projects',
          headers: w.auth,
          payload: { name: `w${i}-${n}` },
        });
        statuses.push(res.statusCode);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${tenant.tenantId}`, headers: root.auth });
    expect(del.statusCode).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(load);
    const serverErrors = statuses.filter((s) => s >= 500).length;
    console.log(`delete under write load: ${statuses.length} writes, ${serverErrors} server errors`);
    expect(serverErrors).toBe(0);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses[statuses.length - 1]).toBe(401);
    expect(await databases()).not.toContain(dbName);
  });

  it('50 parallel registrations with one email and organisation: one tenant, the rest 409', async () => {
    const email = uniqueEmail('race');
    const org = `Race Org ${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email, password: 'Race-Pass-4242', org_name: org },
        }),
      ),
    );
    const created = results.filter((r) => r.statusCode === 201);
    for (const r of results.filter((x) => x.statusCode !== 201)) expectErrorBody(r, 409, 'TENANT_EXISTS');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tenants?limit=100', headers: root.auth });
    const stored = list.json().items.filter((x: { name: string }) => x.name === org).length;
    console.log(`parallel registrations: 50 requests, ${created.length} created, ${stored} tenant stored`);
    expect({ created: created.length, stored }).toEqual({ created: 1, stored: 1 });
    expect((await f.login(email, 'Race-Pass-4242')).token_type).toBe('bearer');
  });

  it('patch validates settings and refuses unknown fields', async () => {
    const tenant = await f.tenant();
    expectErrorBody(await patchTenant(tenant.tenantId, { settings: { $where: 'x' } }), 422, 'VALIDATION_FAILED');
    expectErrorBody(await patchTenant(tenant.tenantId, { db_name: 'other' }), 422, 'VALIDATION_FAILED');
    expectErrorBody(await patchTenant(tenant.tenantId, { status: 'deleting' }), 422, 'VALIDATION_FAILED');
    const ok = await patchTenant(tenant.tenantId, {
      name: 'Renamed Org',
      settings: { theme: 'dark', limits: { seats: 5 } },
    });
    expect(ok.json()).toEqual(
      expect.objectContaining({ name: 'Renamed Org', settings: { theme: 'dark', limits: { seats: 5 } } }),
    );
    // The profile shows the new name (cached tenant read invalidated).
    expect((await me(tenant.admin.auth)).json().tenant.name).toBe('Renamed Org');
  });

  it('the tenant list pages and filters by status', async () => {
    const a = await f.tenant();
    await patchTenant(a.tenantId, { status: 'suspended' });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tenants?status=suspended&limit=100',
      headers: root.auth,
    });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page).toEqual(expect.objectContaining({ page: 1, size: 100, total: expect.any(Number) }));
    expect(page.items.map((x: { id: string }) => x.id)).toContain(a.tenantId);
    expect(page.items.every((x: { status: string }) => x.status === 'suspended')).toBe(true);
    expectErrorBody(
      await t.app.inject({ method: 'GET', url: '/api/v1/tenants?limit=101', headers: root.auth }),
      422,
      'VALIDATION_FAILED',
    );
  });
});
