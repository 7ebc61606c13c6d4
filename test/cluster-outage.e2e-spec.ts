import { placeTenant } from './support/clusters';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import { type FerretDbHandle, startFerretDb } from './support/services';
import { createTestApp, requireService, type TestApp } from './support/test-app';

const SAMPLES = 40;

function p50(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Promise: a cluster that goes down takes down only its own tenants (503 DATABASE_UNAVAILABLE,
// quickly, never a 500 or a hang); tenants on the other cluster keep their latency, and readiness
// names the cluster that is down while staying ready (the master's cluster is up).
describe('one cluster down', () => {
  let ferret: FerretDbHandle;
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    // A FerretDB of its own for `eu`, which this spec kills (the shared ones stay up for the others).
    ferret = await startFerretDb();
    t = await createTestApp({
      MONGODB_CLUSTERS: `default=${requireService('E2E_MONGODB_URL')};eu=${ferret.url}`,
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
    });
    f = new Factory(t.app);
  });
  afterAll(async () => {
    await t.close();
    await ferret.destroy();
  });

  const timedGet = async (url: string, session: Session) => {
    const started = performance.now();
    const res = await t.app.inject({ method: 'GET', url, headers: session.auth });
    return { res, ms: performance.now() - started };
  };

  it('tenants elsewhere keep working at normal latency; its own answer 503; readiness names it', async () => {
    const home = await placeTenant(t.app, f, 'default');
    const away = await placeTenant(t.app, f, 'eu');
    await f.project(home.admin, 'home project');
    await f.project(away.admin, 'away project');

    for (let i = 0; i < 10; i++) await timedGet('/api/v1/projects', home.admin); // warm-up
    const before: number[] = [];
    for (let i = 0; i < SAMPLES; i++) before.push((await timedGet('/api/v1/projects', home.admin)).ms);

    await ferret.stop('SIGKILL');

    // The stopped cluster's tenant: 503 DATABASE_UNAVAILABLE with Retry-After, within the deadline.
    const down = await timedGet('/api/v1/projects', away.admin);
    expectErrorBody(down.res, 503, 'DATABASE_UNAVAILABLE');
    expect(down.res.headers['retry-after']).toMatch(/^\d+$/);
    expect(down.ms).toBeLessThan(4000);

    // The other cluster's tenant, while the stopped one's requests keep failing alongside.
    let awayStatuses: number[] = [];
    let stop = false;
    const noise = (async () => {
      while (!stop) awayStatuses.push((await timedGet('/api/v1/projects', away.admin)).res.statusCode);
    })();
    const after: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const { res, ms } = await timedGet('/api/v1/projects', home.admin);
      expect(res.statusCode).toBe(200);
      expect(res.json<{ items: Array<{ name: string }> }>().items.map((p) => p.name)).toEqual(['home project']);
      after.push(ms);
    }
    stop = true;
    await noise;
    awayStatuses = [...new Set(awayStatuses)];
    expect(awayStatuses).toEqual([503]);

    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual(
      expect.objectContaining({
        status: 'ok',
        checks: expect.objectContaining({ mongodb: 'up', clusters: { default: 'up', eu: 'down' } }),
      }),
    );
    const root = await f.superadminSession();
    const summary = await t.app.inject({ method: 'GET', url: '/api/v1/clusters', headers: root.auth });
    expect(summary.json()).toEqual([
      { name: 'default', tenants: 1, status: 'up' },
      { name: 'eu', tenants: 1, status: 'down' },
    ]);

    const [p50Before, p50After] = [p50(before), p50(after)];
    console.log(
      `cluster down: other cluster's tenant p50 ${p50Before.toFixed(1)} ms before, ${p50After.toFixed(1)} ms after; ` +
        `stopped cluster's tenant answered 503 in ${down.ms.toFixed(0)} ms`,
    );
    // Normal latency: nothing waits on the dead cluster (a server selection there takes 1000 ms). The
    // bound leaves room for a loaded CI machine (two cores, parallel specs) and still fails on such a wait.
    expect(p50After).toBeLessThan(Math.max(3 * p50Before, 250));
  }, 60_000);
});
