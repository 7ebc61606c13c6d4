import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { Factory, type TenantSession } from './support/factories';
import { createTestApp, requireService, type TestApp } from './support/test-app';

const SEEDED = 1000;
const REQUESTS = 200;

type Body = { items: Array<{ id: string; name: string }>; total: number; page: number; size: number };

// Promise: a list page of 20 over 1,000 projects keeps its shape and its order (creation order),
// and its total follows every create and delete at once (no stale cached page or total). The
// figure compares a list page with a read by id on the same data (issue 12's target: >= 0.5).
describe('list pages: cheap, and correct after writes', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;
  let other: TenantSession;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
    other = await f.tenant();
    ids = [];
    for (let i = 0; i < SEEDED; i += 25) {
      const batch = Array.from({ length: Math.min(25, SEEDED - i) }, (_, j) =>
        f.project(tenant.admin, `P${String(i + j).padStart(4, '0')}`),
      );
      ids.push(...(await Promise.all(batch)));
    }
  }, 120_000);
  afterAll(() => t.close());

  const get = async (url: string, auth = tenant.admin.auth): Promise<Body> => {
    const res = await t.app.inject({ method: 'GET', url, headers: auth });
    expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
    return res.json<Body>();
  };

  /** Creation order is ObjectId order (the ids are made at insert, in this process). */
  const inOrder = () => [...ids].sort();

  it('pages keep the shape and creation order', async () => {
    const first = await get('/api/v1/projects?limit=20');
    expect({ ...first, items: first.items.map((p) => p.id) }).toEqual({
      items: inOrder().slice(0, 20),
      total: SEEDED,
      page: 1,
      size: 20,
    });
    const later = await get('/api/v1/projects?page=13&size=50');
    expect(later.items.map((p) => p.id)).toEqual(inOrder().slice(600, 650));
    expect(later.total).toBe(SEEDED);
  });

  it('the total and the items follow creates, renames and deletes at once', async () => {
    await get('/api/v1/projects?limit=20'); // a cached page, if any
    const made = await f.project(tenant.admin, 'made after the first read');
    const lastPage = await get('/api/v1/projects?skip=1000&limit=20');
    expect({ total: lastPage.total, ids: lastPage.items.map((p) => p.id) }).toEqual({ total: SEEDED + 1, ids: [made] });

    const first = inOrder()[0];
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/projects/${first}`,
      headers: tenant.admin.auth,
      payload: { name: 'renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await get('/api/v1/projects?limit=1')).items[0]).toEqual(
      expect.objectContaining({ id: first, name: 'renamed' }),
    );

    for (const id of [made, first]) {
      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${id}`, headers: tenant.admin.auth });
      expect(res.statusCode).toBe(204);
    }
    ids = ids.filter((id) => id !== first);
    const after = await get('/api/v1/projects?limit=20');
    expect({ total: after.total, ids: after.items.map((p) => p.id) }).toEqual({
      total: SEEDED - 1,
      ids: inOrder().slice(0, 20),
    });
  });

  it("another tenant's list is its own (no page served across tenants)", async () => {
    const mine = (await get('/api/v1/projects?limit=20')).total;
    expect(await get('/api/v1/projects?limit=20', other.admin.auth)).toEqual({
      items: [],
      total: 0,
      page: 1,
      size: 20,
    });
    const made = await f.project(other.admin, 'other tenant');
    const theirs = await get('/api/v1/projects?limit=20', other.admin.auth);
    expect({ total: theirs.total, ids: theirs.items.map((p) => p.id) }).toEqual({ total: 1, ids: [made] });
    expect((await get('/api/v1/projects?limit=20')).total).toBe(mine);
  });

  it('users: the page and its total follow a create, a role change and a delete', async () => {
    const users = async () => {
      const body = await get('/api/v1/users?limit=100', other.admin.auth);
      return { total: body.total, rows: body.items.map((u) => `${u.id}:${(u as unknown as { role: string }).role}`) };
    };
    const before = await users();
    const member = await f.member(other);
    expect(await users()).toEqual({ total: before.total + 1, rows: [...before.rows, `${member.id}:user`] });
    const promote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: other.admin.auth,
      payload: { role: 'tenant_admin' },
    });
    expect(promote.statusCode).toBe(200);
    expect(await users()).toEqual({ total: before.total + 1, rows: [...before.rows, `${member.id}:tenant_admin`] });
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${member.id}`, headers: other.admin.auth });
    expect(del.statusCode).toBe(204);
    expect(await users()).toEqual(before);
    const body = await get('/api/v1/users?limit=100', other.admin.auth);
    expect(body.items.every((u) => !('password_hash' in u))).toBe(true);
  });

  it('tenants (superadmin): the page, the status filter and the total follow sign-up, suspension and deletion', async () => {
    const root = await f.superadminSession();
    const tenants = async (query = '') => {
      const body = await get(`/api/v1/tenants?limit=100${query}`, root.auth);
      return { total: body.total, ids: body.items.map((x) => x.id) };
    };
    const before = await tenants();
    const suspendedBefore = await tenants('&status=suspended');
    const made = await f.tenant();
    expect(await tenants()).toEqual({ total: before.total + 1, ids: [...before.ids, made.tenantId] });
    // Both filtered pages read (and cached) before the suspension.
    expect(await tenants('&status=suspended')).toEqual(suspendedBefore);
    expect((await tenants('&status=active')).ids).toContain(made.tenantId);

    const patch = (status: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${made.tenantId}`,
        headers: root.auth,
        payload: { status },
      });
    expect((await patch('suspended')).statusCode).toBe(200);
    expect(await tenants('&status=suspended')).toEqual({
      total: suspendedBefore.total + 1,
      ids: [...suspendedBefore.ids, made.tenantId],
    });
    expect((await tenants('&status=active')).ids).not.toContain(made.tenantId);

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${made.tenantId}`, headers: root.auth });
    expect(del.statusCode).toBe(204);
    expect(await tenants()).toEqual(before);
    expect(await tenants('&status=suspended')).toEqual(suspendedBefore);
  });

  it('figure: where a page query spends its time on this backend (direct, no app)', async () => {
    const raw = await mongoose
      .createConnection(requireService('E2E_MONGODB_URL'), { dbName: `t_${tenant.tenantId}` })
      .asPromise();
    try {
      const projects = raw.collection('projects');
      const ms = async (query: () => Promise<unknown>) => {
        await query();
        const start = performance.now();
        for (let i = 0; i < 10; i++) await query();
        return ((performance.now() - start) / 10).toFixed(1);
      };
      const parts = {
        'sort created_at': await ms(() => projects.find().sort({ created_at: 1, _id: 1 }).limit(20).toArray()),
        'sort _id': await ms(() => projects.find().sort({ _id: 1 }).limit(20).toArray()),
        'sort _id skip 500': await ms(() => projects.find().sort({ _id: 1 }).skip(500).limit(20).toArray()),
        'no sort limit 20': await ms(() => projects.find().limit(20).toArray()),
        countDocuments: await ms(() => projects.countDocuments()),
        estimatedDocumentCount: await ms(() => projects.estimatedDocumentCount()),
        'findOne by _id': await ms(() => projects.findOne({ _id: new mongoose.Types.ObjectId(ids[0]) })),
      };
      expect(Number(parts.countDocuments)).toBeGreaterThan(0);
      console.log(
        `page query parts, ms each over ${SEEDED} projects: ` +
          Object.entries(parts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
      );
      expect(await projects.countDocuments()).toBeGreaterThanOrEqual(SEEDED - 1);
    } finally {
      await raw.close();
    }
  });

  it('figure: a list page of 20 against a read by id', async () => {
    const rate = async (url: (i: number) => string) => {
      const start = performance.now();
      for (let i = 0; i < REQUESTS; i++) await get(url(i));
      return REQUESTS / ((performance.now() - start) / 1000);
    };
    const byId = await rate((i) => `/api/v1/projects/${ids[i % ids.length]}`);
    const list = await rate(() => '/api/v1/projects?limit=20');
    // A page read right after a write (the first read after a change pays the full query).
    let afterWrite = 0;
    const before = (await get('/api/v1/projects?limit=20')).total;
    for (let i = 0; i < 5; i++) {
      const id = await f.project(tenant.admin);
      const start = performance.now();
      expect((await get('/api/v1/projects?limit=20')).total).toBe(before + 1);
      afterWrite += performance.now() - start;
      const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${id}`, headers: tenant.admin.auth });
      expect(res.statusCode).toBe(204);
    }
    console.log(
      `list page of 20: ${list.toFixed(0)} req/s vs by id ${byId.toFixed(0)} req/s, ratio ${(list / byId).toFixed(2)}` +
        ` (${SEEDED} projects in one tenant, ${REQUESTS} sequential requests each;` +
        ` first page read after a write: ${(afterWrite / 5).toFixed(1)} ms)`,
    );
    expect(list).toBeGreaterThan(0);
  }, 120_000);
});
