import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { expectErrorBody } from './support/expect-error';
import { createTestApp, requireService, type TestApp } from './support/test-app';
import { IDLE_OUTBOX } from './support/readiness';

/** MasterIndexesService retries at 1 s, 2 s, 4 s...: removing the duplicate is seen within this. */
const BACKOFF_WINDOW_MS = 10_000;

// Promise: the master's unique indexes carry correctness (one tenant per domain), so a failed
// build is not swallowed: it is logged, readiness stays 503 in the error shape until the index
// exists, and the build is retried in the background until it succeeds.
describe('master index build failure', () => {
  const master = `m_${randomBytes(6).toString('hex')}`;
  let raw: mongoose.Connection;
  let t: TestApp | undefined;
  const logLines: string[] = [];

  beforeAll(async () => {
    raw = await mongoose.createConnection(requireService('E2E_MONGODB_URL'), { dbName: master }).asPromise();
  });
  afterAll(async () => {
    await t?.close();
    await raw.dropDatabase().catch(() => undefined);
    await raw.close();
  });

  it('a duplicate domain blocks `{domain: 1} unique`: 503 and an error logged, then 200 once removed', async () => {
    // Two tenants with one domain, written before the app ever ran on this master database.
    const tenant = (name: string) => ({
      _id: new Types.ObjectId(),
      name,
      domain: 'twice.example.com',
      email: `${name}@example.com`,
      status: 'active',
      db_name: `t_${name}`,
      cluster: 'default',
      settings: {},
      created_at: new Date(),
      updated_at: new Date(),
    });
    const [first, second] = [tenant('first'), tenant('second')];
    await raw.collection('tenants').insertMany([first, second]);

    t = await createTestApp({ MASTER_DB_NAME: master, LOG_LEVEL: 'error' }, { logLines });
    const app = t.app;
    const ready = () => app.inject({ method: 'GET', url: '/health/ready' });

    const refused = await ready();
    const body = expectErrorBody(refused, 503, 'DATABASE_UNAVAILABLE');
    expect(body.detail).toBe('Not ready: master indexes not built yet, redis up');
    expect(refused.headers['retry-after']).toBe('5');
    const logged = logLines.filter((l) => l.includes('building master indexes failed'));
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.parse(logged[0])).toEqual(expect.objectContaining({ level: 'error' }));

    await raw.collection('tenants').deleteOne({ _id: second._id });
    const started = Date.now();
    let res = await ready();
    while (res.statusCode !== 200 && Date.now() - started < BACKOFF_WINDOW_MS) {
      await new Promise((r) => setTimeout(r, 100));
      res = await ready();
    }
    const healedMs = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { mongodb: 'up', redis: 'up', mail: 'up' },
      mail_outbox: IDLE_OUTBOX,
    });

    const indexes = await raw.collection('tenants').indexes();
    const domain = indexes.find((i) => JSON.stringify(i.key) === '{"domain":1}');
    expect(domain).toEqual(expect.objectContaining({ unique: true }));
    // The index is enforced from now on.
    await expect(raw.collection('tenants').insertOne(tenant('third'))).rejects.toMatchObject({ code: 11000 });
    console.log(
      `master index build failure: readiness 503 while a duplicate domain blocks the unique index ` +
        `(${logged.length} error logged), 200 ${healedMs} ms after the duplicate was removed`,
    );
  });
});
