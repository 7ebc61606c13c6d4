import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';

/**
 * The seed README's requests, as written there (only the passwords are stronger, for the policy):
 * register, OAuth2 form login, refresh, create a tenant, read it, and log in as its admin.
 */
describe('seed README flow', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('works end to end exactly as documented', async () => {
    const register = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: 'admin@example.com',
        password: 'SecurePassword123!',
        org_name: 'Example Organization',
        is_superadmin: true,
      }),
    });
    expect(register.statusCode).toBe(201);
    expect(register.json()).toEqual({
      user: expect.objectContaining({ email: 'admin@example.com', role: 'superadmin', is_active: true }),
      tenant: null,
    });
    expect(register.body).not.toMatch(/password|hash/i);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=&username=admin%40example.com&password=SecurePassword123%21',
    });
    expect(login.statusCode).toBe(200);
    const tokens = login.json();
    expect(tokens).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 900,
    });

    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh-token',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ refresh_token: tokens.refresh_token }),
    });
    expect(refresh.statusCode).toBe(200);
    const rotated = refresh.json();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const auth = { authorization: `Bearer ${rotated.access_token}` };

    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants/',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: 'New Tenant',
        domain: 'new-tenant',
        email: 'tenant-admin@example.com',
        admin_name: 'Tenant Admin',
        admin_password: 'Admin@123-Strong',
      }),
    });
    expect(create.statusCode).toBe(201);
    const tenant = create.json();
    expect(tenant).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'New Tenant',
      domain: 'new-tenant',
      email: 'tenant-admin@example.com',
      status: 'active',
      db_name: `t_${tenant.id}`,
      cluster: 'default',
      move: null,
      settings: {},
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenant.id}`, headers: auth });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(tenant);

    // The tenant's admin can log in at once, and lands in their tenant.
    const adminLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=password&username=tenant-admin%40example.com&password=Admin%40123-Strong',
    });
    expect(adminLogin.statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${adminLogin.json().access_token}` },
    });
    expect(me.json()).toEqual(
      expect.objectContaining({
        email: 'tenant-admin@example.com',
        full_name: 'Tenant Admin',
        role: 'tenant_admin',
        tenant: { id: tenant.id, name: 'New Tenant', domain: 'new-tenant' },
      }),
    );

    // The domain is unique.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: auth,
      payload: {
        name: 'Other',
        domain: 'new-tenant',
        email: 'x@example.com',
        admin_name: 'X',
        admin_password: 'Admin@123-Strong',
      },
    });
    expectErrorBody(again, 409, 'TENANT_EXISTS');

    // A second bootstrap is closed to the public.
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'mallory@example.com', password: 'SecurePassword123!', is_superadmin: true },
    });
    expectErrorBody(second, 403, 'SUPERADMIN_BOOTSTRAP_CLOSED');
    // ...but a superadmin may create another.
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: auth,
      payload: { email: 'second-root@example.com', password: 'SecurePassword123!', is_superadmin: true },
    });
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json().user.role).toBe('superadmin');
  });
});
