import { randomBytes } from 'node:crypto';
import { Factory, type Session, strongPassword, uniqueEmail } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

// Promise: a tenant's database name is internal. A self-service sign-up answers the tenant without
// it; a superadmin creating a tenant through the same route sees it, as on /tenants.
describe('sign-up response', () => {
  let t: TestApp;
  let root: Session;

  beforeAll(async () => {
    t = await createTestApp();
    root = await new Factory(t.app).superadminSession();
  });
  afterAll(() => t.close());

  const register = (headers: Record<string, string> = {}) => {
    const org = `Signup ${randomBytes(4).toString('hex')}`;
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers,
      payload: { email: uniqueEmail('signup'), password: strongPassword(), org_name: org, full_name: 'Ada' },
    });
  };

  it('self-service sign-up: the tenant without db_name', async () => {
    const res = await register();
    expect(res.statusCode).toBe(201);
    const { tenant } = res.json();
    expect(Object.keys(tenant).sort()).toEqual(
      ['cluster', 'created_at', 'domain', 'email', 'id', 'move', 'name', 'settings', 'status', 'updated_at'].sort(),
    );
    expect(res.body).not.toContain(`t_${tenant.id}`);
    // The superadmin still finds it on /tenants.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenant.id}`, headers: root.auth });
    expect(read.json()).toEqual({ ...tenant, db_name: `t_${tenant.id}` });
    console.log(`sign-up response: self-service tenant fields ${Object.keys(tenant).length}, db_name hidden`);
  });

  it('a superadmin calling the same route sees db_name', async () => {
    const res = await register(root.auth);
    expect(res.statusCode).toBe(201);
    const { tenant } = res.json();
    expect(tenant).toEqual(expect.objectContaining({ id: expect.any(String), db_name: `t_${tenant.id}` }));
  });
});
