import { databasesOn, placeTenant, projectNamesOn, twoClusters } from './support/clusters';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const clusters = twoClusters();

// Promise: an instance that never hears the route announcements (no Redis, so no pub/sub) still
// follows a live move of a tenant it keeps serving: the routing epoch in the master database tells
// it within ROUTE_TTL_MS that its cached routes may be stale, so none of its acknowledged writes is
// left behind on the source cluster. (Its routes are otherwise trusted for as long as the epoch
// does not move: no master read per tenant request.)
describe('routing epoch: an instance without the Redis announcements follows a move', () => {
  let a: TestApp;
  let b: TestApp;
  let f: Factory;
  let root: Session;

  beforeAll(async () => {
    a = await createTestApp({ MONGODB_CLUSTERS: clusters.env });
    b = await createTestApp({
      MONGODB_CLUSTERS: clusters.env,
      MASTER_DB_NAME: a.config.masterDbName,
      REDIS_URL: undefined,
    });
    f = new Factory(a.app);
    root = await f.superadminSession();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('writes through the uninformed instance land on the target or are refused with 503 TENANT_MOVING', async () => {
    const tenant = await placeTenant(a.app, f, 'eu');
    const db = `t_${tenant.tenantId}`;
    const write = (name: string) =>
      b.app.inject({ method: 'POST', url: '/api/v1/projects', headers: tenant.admin.auth, payload: { name } });
    // B routes the tenant (and keeps using the route) before the move starts.
    const first = await write('before-move');
    expect(first.statusCode).toBe(201);

    const started = await a.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${tenant.tenantId}/move`,
      headers: root.auth,
      payload: { cluster: 'default' },
    });
    expect(started.statusCode).toBe(202);

    const acked = ['before-move'];
    const wrong: string[] = [];
    let refused = 0;
    let status = '';
    const deadline = Date.now() + 90_000;
    for (let i = 0; Date.now() < deadline; i++) {
      const res = await write(`write-${i}`);
      if (res.statusCode === 201) acked.push(`write-${i}`);
      else if (res.statusCode === 503) {
        expectErrorBody(res, 503, 'TENANT_MOVING');
        refused++;
      } else wrong.push(`${res.statusCode} ${res.body}`);
      const move = await a.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenant.tenantId}/move`,
        headers: root.auth,
      });
      status = move.json<{ status: string }>().status;
      if (status === 'done' || status === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // Once the move is done, B lifts the fence within ROUTE_TTL_MS (2 s) too: it may answer 503
    // until its next poll of the epoch (every 500 ms), never after.
    const doneAt = Date.now();
    let lifted = 0;
    for (let i = 0; lifted === 0 && Date.now() - doneAt < 2500; i++) {
      const res = await write(`after-${i}`);
      if (res.statusCode === 201) {
        acked.push(`after-${i}`);
        lifted = Date.now() - doneAt;
      } else expectErrorBody(res, 503, 'TENANT_MOVING');
      if (!lifted) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lifted).toBeGreaterThan(0);
    console.log(`routing epoch: B lifted the fence ${lifted} ms after the move was done; ${refused} writes refused`);

    expect(wrong).toEqual([]);
    expect(status).toBe('done');
    expect(refused).toBeGreaterThan(0); // B saw the fence without any announcement
    expect(await databasesOn(clusters.eu)).not.toContain(db);
    const names = await projectNamesOn(clusters.default, db);
    expect(names.sort()).toEqual([...acked].sort());
  }, 120_000);
});
