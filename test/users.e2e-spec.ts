import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession, strongPassword, uniqueEmail } from './support/factories';

/** The Users API of a tenant: CRUD, uniqueness, the last-admin rule, self-service limits. */
describe('users', () => {
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
  });
  afterAll(() => t.close());

  const call = (tenant: TenantSession, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/users${url}`, headers: tenant.admin.auth, payload });

  it('creates, lists, reads, updates and deletes, never exposing a hash', async () => {
    const tenant = await f.tenant();
    const email = uniqueEmail('crud');
    const created = await call(tenant, 'POST', '', {
      email: email.toUpperCase(),
      password: strongPassword(),
      full_name: 'Grace',
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email, // normalised to lower case
      full_name: 'Grace',
      role: 'user',
      is_active: true,
      email_verified: false, // an admin chose the password: the address is not proven
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const list = await call(tenant, 'GET', '?skip=0&limit=1');
    expect(list.json()).toEqual({
      items: [expect.objectContaining({ role: 'tenant_admin' })],
      total: 2,
      page: 1,
      size: 1,
    });
    expect((await call(tenant, 'GET', '?skip=1&limit=1')).json().items[0].id).toBe(user.id);
    expect((await call(tenant, 'GET', `/${user.id}`)).json()).toEqual(user);
    const patched = await call(tenant, 'PATCH', `/${user.id}`, { full_name: 'Grace Hopper', role: 'tenant_admin' });
    expect(patched.json()).toEqual(expect.objectContaining({ full_name: 'Grace Hopper', role: 'tenant_admin' }));
    for (const res of [created, list, patched]) expect(res.body).not.toMatch(/password|hash|token_version/);
    expect((await call(tenant, 'DELETE', `/${user.id}`)).statusCode).toBe(204);
    expectErrorBody(await call(tenant, 'GET', `/${user.id}`), 404, 'USER_NOT_FOUND');
    expectErrorBody(await call(tenant, 'GET', '/not-an-id'), 404, 'USER_NOT_FOUND');
    // The deleted user's email is free again, and its login is gone.
    expect((await call(tenant, 'POST', '', { email, password: strongPassword() })).statusCode).toBe(201);
  });

  it('email is unique per tenant, case-insensitively: 409 USER_EXISTS', async () => {
    const tenant = await f.tenant();
    const email = uniqueEmail('dup');
    expect((await call(tenant, 'POST', '', { email, password: strongPassword() })).statusCode).toBe(201);
    expectErrorBody(
      await call(tenant, 'POST', '', { email: email.toUpperCase(), password: strongPassword() }),
      409,
      'USER_EXISTS',
    );
  });

  it('50 parallel creations with one email: exactly one succeeds, one record stored', async () => {
    const tenant = await f.tenant();
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call(tenant, 'POST', '', { email, password: strongPassword() })),
    );
    const created = results.filter((r) => r.statusCode === 201).length;
    for (const r of results.filter((x) => x.statusCode !== 201)) expectErrorBody(r, 409, 'USER_EXISTS');
    const all = (await call(tenant, 'GET', '?limit=100')).json();
    const stored = all.items.filter((u: { email: string }) => u.email === email).length;
    console.log(`parallel user creation: 50 requests, ${created} created, ${stored} stored`);
    expect({ created, stored }).toEqual({ created: 1, stored: 1 });
  });

  it('the last active tenant_admin cannot be demoted, deactivated or deleted (409 LAST_ADMIN)', async () => {
    const tenant = await f.tenant();
    const adminId = tenant.admin.id;
    expectErrorBody(await call(tenant, 'PATCH', `/${adminId}`, { role: 'user' }), 409, 'LAST_ADMIN');
    expectErrorBody(await call(tenant, 'PATCH', `/${adminId}`, { is_active: false }), 409, 'LAST_ADMIN');
    expectErrorBody(await call(tenant, 'DELETE', `/${adminId}`), 409, 'LAST_ADMIN');
    expect((await call(tenant, 'GET', `/${adminId}`)).json()).toEqual(
      expect.objectContaining({ role: 'tenant_admin', is_active: true }),
    );
    // With a second admin, the first may step down.
    const second = await f.member(tenant, 'tenant_admin');
    expect((await call(tenant, 'PATCH', `/${adminId}`, { role: 'user' })).json().role).toBe('user');
    // ...and the old admin token stops working at once (its role claim is stale).
    expectErrorBody(
      await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: tenant.admin.auth }),
      401,
      'UNAUTHENTICATED',
    );
    const viaSecond = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${second.id}`,
      headers: second.auth,
      payload: { role: 'user' },
    });
    expectErrorBody(viaSecond, 409, 'LAST_ADMIN');
  });

  it('deactivation cuts the user off at once; reactivation lets them log in again', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    expect((await call(tenant, 'PATCH', `/${user.id}`, { is_active: false })).json().is_active).toBe(false);
    expectErrorBody(
      await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.auth }),
      401,
      'UNAUTHENTICATED',
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expectErrorBody(login, 403, 'ACCOUNT_DISABLED');
    await call(tenant, 'PATCH', `/${user.id}`, { is_active: true });
    expect((await f.login(user.email, user.password)).token_type).toBe('bearer');
  });

  it('a user reads only themself, edits only their name, and cannot escalate', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    const get = (url: string) => t.app.inject({ method: 'GET', url: `/api/v1/users${url}`, headers: user.auth });
    expect((await get(`/${user.id}`)).json().email).toBe(user.email);
    expectErrorBody(await get(`/${tenant.admin.id}`), 403, 'FORBIDDEN');
    const me = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers: user.auth,
      payload: { full_name: 'New Name' },
    });
    expect(me.json()).toEqual(expect.objectContaining({ full_name: 'New Name', role: 'user' }));
    for (const payload of [
      { role: 'tenant_admin' },
      { is_active: false },
      { password_hash: 'x' },
      { $set: { role: 'tenant_admin' } },
    ]) {
      const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: user.auth, payload });
      expectErrorBody(res, 422, 'VALIDATION_FAILED');
    }
    expect((await get('/me')).json()).toEqual(expect.objectContaining({ full_name: 'New Name', role: 'user' }));
  });
});
