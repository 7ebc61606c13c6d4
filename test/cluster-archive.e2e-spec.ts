import { databasesOn, placeTenant, projectNamesOn, twoClusters } from './support/clusters';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const clusters = twoClusters();

// Promise: across clusters, a tenant exported from one is imported onto the cluster asked for (its
// database on that instance only), and the erasure receipt of the deleted original names the
// cluster its database was dropped from.
describe('MongoDB clusters: export from one cluster, import onto another', () => {
  let t: TestApp;
  let f: Factory;
  let root: Session;

  beforeAll(async () => {
    t = await createTestApp({ MONGODB_CLUSTERS: clusters.env });
    f = new Factory(t.app);
    root = await f.superadminSession();
  });
  afterAll(() => t.close());

  const importArchive = (gz: Buffer, query: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/import${query}`,
      headers: { ...root.auth, 'content-type': 'application/gzip' },
      payload: gz,
    });

  it('a tenant on default, exported and deleted, comes back on eu with its data', async () => {
    const original = await placeTenant(t.app, f, 'default');
    await f.project(original.admin, 'travels to eu');
    const exported = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${original.tenantId}/export`,
      headers: root.auth,
    });
    expect(exported.statusCode).toBe(200);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${original.tenantId}`,
      headers: root.auth,
    });
    expect(deleted.statusCode).toBe(204);

    const receipt = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${original.tenantId}/erasure-receipt`,
      headers: root.auth,
    });
    expect(receipt.json().receipt.databases_dropped).toEqual([
      { name: `t_${original.tenantId}`, cluster: 'default', dropped_at: expect.any(String) },
    ]);
    expect(receipt.json().signature_valid).toBe(true);

    const unknown = await importArchive(exported.rawPayload, '?cluster=mars');
    expect(expectErrorBody(unknown, 422, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'cluster', message: 'unknown cluster; configured: default, eu' },
    ]);

    const res = await importArchive(exported.rawPayload, '?cluster=eu');
    expect(res.statusCode).toBe(201);
    const imported = res.json<{ id: string; cluster: string; db_name: string }>();
    expect(imported).toEqual(expect.objectContaining({ cluster: 'eu', db_name: `t_${imported.id}` }));
    const [onDefault, onEu] = await Promise.all([databasesOn(clusters.default), databasesOn(clusters.eu)]);
    expect({ default: onDefault.includes(imported.db_name), eu: onEu.includes(imported.db_name) }).toEqual({
      default: false,
      eu: true,
    });
    expect(await projectNamesOn(clusters.eu, imported.db_name)).toEqual(['travels to eu']);

    // The admin logs in with the old password and reads the project through the API (routed to eu).
    const admin = await f.session(original.admin.email, original.admin.password, original.admin.id);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/projects', headers: admin.auth });
    expect(list.json<{ items: Array<{ name: string }> }>().items.map((p) => p.name)).toEqual(['travels to eu']);
  });
});
