import { expectErrorBody } from '../../../test/support/expect-error';
import { Factory } from '../../../test/support/factories';
import { createTestApp, type TestApp } from '../../../test/support/test-app';

/** The example module's own e2e spec, kept in its folder (docs/extending.md, step 9). */
describe('projects', () => {
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
  });
  afterAll(() => t.close());

  const patch = (who: { auth: Record<string, string> }, id: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${id}`, headers: who.auth, payload });

  it('members read; only the creator or a tenant_admin writes', async () => {
    const tenant = await f.tenant();
    const alice = await f.member(tenant);
    const bob = await f.member(tenant);
    const id = await f.project(alice, 'Roadmap');

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/projects/${id}`, headers: bob.auth });
    expect(read.json()).toEqual(expect.objectContaining({ id, name: 'Roadmap', created_by: alice.id }));

    expectErrorBody(await patch(bob, id, { name: 'Hijacked' }), 403, 'FORBIDDEN');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${id}`, headers: bob.auth });
    expectErrorBody(del, 403, 'FORBIDDEN');
    expect((await patch(alice, id, { name: 'Mine' })).json()).toEqual(expect.objectContaining({ name: 'Mine' }));
    expect((await patch(tenant.admin, id, { name: 'Admin' })).json()).toEqual(
      expect.objectContaining({ name: 'Admin' }),
    );
  });

  it('description can be cleared with null; name cannot', async () => {
    const tenant = await f.tenant();
    const id = await f.project(tenant.admin);
    expect((await patch(tenant.admin, id, { description: null })).json()).toEqual(
      expect.objectContaining({ id, description: null }),
    );
    expectErrorBody(await patch(tenant.admin, id, { name: null }), 422, 'VALIDATION_FAILED');
  });

  it("another tenant's project is a 404, never a leak; a malformed id too", async () => {
    const mine = await f.tenant();
    const theirs = await f.tenant();
    const id = await f.project(theirs.admin);
    for (const target of [id, 'not-an-id']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/projects/${target}`, headers: mine.admin.auth });
      expectErrorBody(res, 404, 'PROJECT_NOT_FOUND');
      expectErrorBody(await patch(mine.admin, target, { name: 'x' }), 404, 'PROJECT_NOT_FOUND');
    }
  });
});
