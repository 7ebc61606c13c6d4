import type { Response as InjectResponse } from 'light-my-request';
import { databasesOn, digestOf, placeTenant, projectNamesOn, twoClusters } from './support/clusters';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const SEEDED = 200;
const clusters = twoClusters();

// Promise: MONGODB_CLUSTERS names two clusters (two real FerretDB instances); a tenant's database
// lives on its record's cluster, new tenants go where asked or to the emptiest cluster, and a live
// move loses no acknowledged write, refuses writes only with 503 TENANT_MOVING, and never a read.
describe('MongoDB clusters: placement and live move', () => {
  let t: TestApp;
  let f: Factory;
  let root: Session;

  const inject = (method: 'GET' | 'POST', url: string, session?: Session, payload?: object) =>
    t.app.inject({ method, url, headers: session?.auth, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    // The default operation deadline (5 s): the fence settles for the route TTL (2 s) plus it.
    t = await createTestApp({ MONGODB_CLUSTERS: clusters.env });
    f = new Factory(t.app);
    root = await f.superadminSession();
  });
  afterAll(() => t.close());

  it('places each tenant on the cluster asked for (checked on each instance), else on the emptiest', async () => {
    const onDefault = await placeTenant(t.app, f, 'default');
    const onEu = await placeTenant(t.app, f, 'eu');
    expect(onEu.body).toEqual(expect.objectContaining({ cluster: 'eu', move: null, db_name: `t_${onEu.tenantId}` }));
    expect(onDefault.body).toEqual(expect.objectContaining({ cluster: 'default', move: null }));
    await f.project(onEu.admin, 'lives on eu');
    await f.project(onDefault.admin, 'lives on default');

    const [onA, onB] = await Promise.all([databasesOn(clusters.default), databasesOn(clusters.eu)]);
    expect({ default: onA.includes(`t_${onDefault.tenantId}`), eu: onB.includes(`t_${onDefault.tenantId}`) }).toEqual({
      default: true,
      eu: false,
    });
    expect({ default: onA.includes(`t_${onEu.tenantId}`), eu: onB.includes(`t_${onEu.tenantId}`) }).toEqual({
      default: false,
      eu: true,
    });
    expect(await projectNamesOn(clusters.eu, `t_${onEu.tenantId}`)).toEqual(['lives on eu']);
    const list = await inject('GET', '/api/v1/projects', onEu.admin);
    expect(list.json<{ items: Array<{ name: string }> }>().items.map((p) => p.name)).toEqual(['lives on eu']);

    // Without `cluster`: the one with the fewest tenants (1 and 1: the first listed, then eu).
    expect((await placeTenant(t.app, f)).body.cluster).toBe('default');
    expect((await placeTenant(t.app, f)).body.cluster).toBe('eu');

    const unknown = await inject('POST', '/api/v1/tenants', root, {
      name: 'Nowhere',
      domain: 'nowhere-cluster',
      email: 'n@example.com',
      admin_name: 'N',
      admin_password: 'Correct-Horse-Battery-9',
      cluster: 'mars',
    });
    const body = expectErrorBody(unknown, 422, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'cluster', message: 'unknown cluster; configured: default, eu' }]);

    const summary = await inject('GET', '/api/v1/clusters', root);
    expect(summary.json()).toEqual([
      { name: 'default', tenants: 2, status: 'up' },
      { name: 'eu', tenants: 2, status: 'up' },
    ]);
    const ready = await inject('GET', '/health/ready');
    expect(ready.json()).toEqual(
      expect.objectContaining({
        status: 'ok',
        checks: expect.objectContaining({ mongodb: 'up', clusters: { default: 'up', eu: 'up' } }),
      }),
    );
  });

  // From eu to default: the source dropped at the end is on the second FerretDB, which only the
  // cluster specs use (a drop on FerretDB's SQLite storage can stall that instance for a moment).
  it('moves a tenant under a steady writer: every write lands on the target or got 503 TENANT_MOVING', async () => {
    const tenant = await placeTenant(t.app, f, 'eu');
    const db = `t_${tenant.tenantId}`;
    const seeded: string[] = [];
    for (let i = 0; i < SEEDED; i += 20)
      seeded.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, j) => f.project(tenant.admin, `seed-${i + j}`)))),
      );

    const started = await inject('POST', `/api/v1/tenants/${tenant.tenantId}/move`, root, { cluster: 'default' });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual(
      expect.objectContaining({ tenant_id: tenant.tenantId, from: 'eu', to: 'default', status: 'copying' }),
    );
    const again = await inject('POST', `/api/v1/tenants/${tenant.tenantId}/move`, root, { cluster: 'default' });
    expectErrorBody(again, 409, 'TENANT_MOVE_IN_PROGRESS');

    const acked: string[] = [];
    const refused: Array<{ name: string; at: number }> = [];
    const ackedAt: number[] = [];
    const wrong: string[] = [];
    const failedReads: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const name = `write-${i}`;
        const res = await inject('POST', '/api/v1/projects', tenant.admin, { name, description: 'steady writer' });
        if (res.statusCode === 201) {
          acked.push(name);
          ackedAt.push(Date.now());
        } else if (isMovingRefusal(res)) refused.push({ name, at: Date.now() });
        else wrong.push(`${res.statusCode} ${res.body}`);
      }
    })();
    const reader = (async () => {
      while (!stop) {
        const res = await inject('GET', `/api/v1/projects/${seeded[0]}`, tenant.admin);
        if (res.statusCode !== 200) failedReads.push(`${res.statusCode} ${res.body}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    // While switching, the fence holds both databases still: they must be equal, collection by collection.
    let frozen: { source: object; target: object } | undefined;
    let move: Record<string, unknown> = {};
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      move = (await inject('GET', `/api/v1/tenants/${tenant.tenantId}/move`, root)).json();
      if (move.status === 'switching' && !frozen)
        frozen = { source: await digestOf(clusters.eu, db), target: await digestOf(clusters.default, db) };
      if (move.status === 'done' || move.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const afterMove = acked.length;
    while (acked.length < afterMove + 5 && wrong.length === 0) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all([writer, reader]);

    expect(wrong).toEqual([]);
    expect(failedReads).toEqual([]);
    expect(move).toEqual(expect.objectContaining({ status: 'done', error: null, finished_at: expect.any(String) }));
    expect(frozen).toBeDefined();
    expect(frozen?.target).toEqual(frozen?.source);
    // Every collection of the tenant database, the audit stream included (it is written during the move too).
    expect(Object.keys(frozen?.source ?? {}).sort()).toEqual([
      'audit_events',
      'audit_marks',
      'invitations',
      'projects',
      'users',
    ]);

    // Source gone, target holds every acknowledged write exactly once and none of the refused ones.
    expect(await databasesOn(clusters.eu)).not.toContain(db);
    const names = await projectNamesOn(clusters.default, db);
    expect(names.length).toBe(new Set(names).size);
    expect(names.sort()).toEqual([...seeded.map((_, i) => `seed-${i}`), ...acked].sort());
    expect(refused.length).toBeGreaterThan(0);
    const tenantNow = await inject('GET', `/api/v1/tenants/${tenant.tenantId}`, root);
    expect(tenantNow.json()).toEqual(
      expect.objectContaining({ cluster: 'default', move: { id: move.id, status: 'done' } }),
    );

    const firstRefusal = refused[0].at;
    const resumed = ackedAt.find((at) => at > refused[refused.length - 1].at) ?? Date.now();
    const documents = Object.values(frozen?.source ?? {}).reduce((n, d: { count: number }) => n + d.count, 0);
    console.log(
      `move: ${documents} documents, ${refused.length} writes refused, pause ${resumed - firstRefusal} ms ` +
        `(${acked.length} writes acknowledged, ${failedReads.length} reads failed)`,
    );
  }, 120_000);
});

function isMovingRefusal(res: InjectResponse): boolean {
  if (res.statusCode !== 503) return false;
  expectErrorBody(res, 503, 'TENANT_MOVING');
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  return true;
}
