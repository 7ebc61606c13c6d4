import type { Model } from 'mongoose';
import { TenantRunner } from '../src/identity';
import { TenantCache } from '../src/infra/cache/tenant-cache.service';
import { getTenantModelToken } from '../src/infra/tenancy/tenant-model';
import { Project } from '../src/modules/projects/project.schema';
import { Factory, type TenantSession } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

// Promise (the tenant data kit, outside HTTP): a tenant model handle and TenantCache resolve to
// the tenant of the context they run in, fail loudly with none, and TenantRunner gives jobs the
// same context as a request: served tenants only, and deletion waits for a running job.
describe('tenant data kit outside HTTP', () => {
  let t: TestApp;
  let f: Factory;
  let projects: Model<Project>;
  let runner: TenantRunner;
  let a: TenantSession;
  let b: TenantSession;

  const createProject = async (tenant: TenantSession, name: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: tenant.admin.auth,
      payload: { name },
    });
    expect(res.statusCode).toBe(201);
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    projects = t.app.get(getTenantModelToken(Project.name));
    runner = t.app.get(TenantRunner);
    [a, b] = await Promise.all([f.tenant(), f.tenant()]);
    await Promise.all([
      createProject(a, 'only-in-a-1'),
      createProject(a, 'only-in-a-2'),
      createProject(b, 'only-in-b'),
    ]);
  });
  afterAll(() => t.close());

  const names = async () => (await projects.find().lean<Project[]>().exec()).map((p) => p.name).sort();

  it('a handle used with no tenant context throws instead of querying some database', async () => {
    expect(() => projects.find()).toThrow('No tenant in the request context');
    await expect(t.app.get(TenantCache).get('kind', 'id')).rejects.toThrow('No tenant in the request context');
  });

  it("runs on the runner's tenant, each job on its own, even interleaved", async () => {
    const [inA, inB] = await Promise.all([runner.run(a.tenantId, names), runner.run(b.tenantId, names)]);
    expect({ inA, inB }).toEqual({ inA: ['only-in-a-1', 'only-in-a-2'], inB: ['only-in-b'] });
  });

  it('TenantCache keys carry the tenant of the context', async () => {
    const cache = t.app.get(TenantCache);
    await runner.run(a.tenantId, () => cache.set('kit-test', 'k', { owner: 'a' }));
    expect(await runner.run(a.tenantId, () => cache.get('kit-test', 'k'))).toEqual({ owner: 'a' });
    expect(await runner.run(b.tenantId, () => cache.get('kit-test', 'k'))).toBeUndefined();
  });

  it('refuses ids that are not served tenants', async () => {
    for (const id of ['not-an-id', '0123456789abcdef01234567'])
      await expect(runner.run(id, names)).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });

  it('deleting a tenant waits for a job running in it', async () => {
    const c = await f.tenant();
    const root = await f.superadminSession();
    const events: string[] = [];
    const job = runner.run(c.tenantId, async () => {
      await new Promise((done) => setTimeout(done, 400));
      await projects.create({ name: 'written by the job', created_by: c.admin.id });
      events.push('job done');
    });
    await new Promise((done) => setTimeout(done, 50));
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${c.tenantId}`, headers: root.auth });
    events.push(`delete ${deleted.statusCode}`);
    await job;
    expect(events).toEqual(['job done', 'delete 204']);
    await expect(runner.run(c.tenantId, names)).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
  });
});
