import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import mongoose from 'mongoose';
import { expectErrorBody } from './support/expect-error';
import { Factory, strongPassword, uniqueEmail } from './support/factories';
import {
  asInjectResponse,
  type HttpResult,
  httpRequest,
  requireBuiltServer,
  type ServerProcess,
  spawnServer,
  waitForStatus,
} from './support/real-server';
import { type RedisHandle, freePort, startRedis } from './support/services';
import { createTestApp, requireService, type TestApp, testEnv } from './support/test-app';
import { MasterConnection } from '../src/infra/database/master-connection.service';
import { TenantDeletionSweeper } from '../src/identity/tenants/tenant-deletion-sweeper.service';

/** Tenants deleted one after the other, each under write load on the other instance. */
const ROUNDS = 5;
const WRITERS = 12;
/** Successful writes through B before the DELETE: its database exists and the load is steady. */
const WRITES_BEFORE_DELETE = 40;
/** How long B keeps writing after the DELETE answered (a zombie write would land here). */
const WRITE_ON_MS = 500;
/** A refused writer waits this long before its next attempt. */
const REFUSED_PAUSE_MS = 25;
const REFUSED: Record<number, string[]> = {
  401: ['UNAUTHENTICATED'],
  403: ['TENANT_SUSPENDED'],
  404: ['TENANT_NOT_FOUND'],
  503: ['SERVICE_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
};

interface Instance {
  name: string;
  port: number;
  server: ServerProcess;
}

interface Write {
  sentAt: number;
  doneAt: number;
  res: HttpResult;
}

// Promise: deleting a tenant through one instance while another instance writes to it never
// leaves its database behind: every instance stops serving the tenant (and drains its own requests
// of it) before the drop, so no write lands after it; the writer sees 201s, then only refusals in
// the error shape (401/403/404/503), never a 500.
describe('tenant deletion with two instances sharing MongoDB and Redis (dist/main.js twice)', () => {
  const instances: Instance[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
  let raw: mongoose.Connection;
  let rootAuth: Record<string, string>;
  const env = testEnv({ HOST: '127.0.0.1', LOG_LEVEL: 'warn' });

  const call = (at: Instance, method: string, path: string, json?: unknown, headers?: Record<string, string>) =>
    httpRequest(at.port, { method, path, json, headers, agent });
  const login = async (at: Instance, email: string, password: string) => {
    const res = await call(at, 'POST', '/api/v1/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
    return { authorization: `Bearer ${(res.json() as { access_token: string }).access_token}` };
  };
  const databases = async () => {
    const { databases: list } = await raw.db!.admin().listDatabases();
    return list.map((d: { name: string }) => d.name);
  };

  beforeAll(async () => {
    requireBuiltServer();
    for (const name of ['A', 'B']) {
      const port = await freePort();
      instances.push({ name, port, server: spawnServer({ ...env, PORT: `${port}` }) });
    }
    await Promise.all(instances.map((i) => waitForStatus(i.port, '/health/ready', 200, 30000)));
    raw = await mongoose.createConnection(requireService('E2E_MONGODB_URL')).asPromise();
    const [a] = instances;
    const email = uniqueEmail('root');
    const password = strongPassword();
    const res = await call(a, 'POST', '/api/v1/auth/register', { email, password, is_superadmin: true });
    expect(res.statusCode).toBe(201);
    rootAuth = await login(a, email, password);
  });
  afterAll(async () => {
    for (const i of instances) i.server.kill();
    agent.destroy();
    await raw?.close();
  });

  it(`${ROUNDS} deletions through A while ${WRITERS} writers write through B: no zombie database`, async () => {
    const [a, b] = instances;
    const totals = { created: 0, refused: 0, serverErrors: 0, createdAfterDelete: 0, zombies: 0 };
    const byStatus = new Map<number, number>();
    let deleteMs = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const email = uniqueEmail('admin');
      const password = strongPassword();
      const org = `Fence ${randomBytes(4).toString('hex')}`;
      const registered = await call(a, 'POST', '/api/v1/auth/register', { email, password, org_name: org });
      expect(registered.statusCode).toBe(201);
      const tenantId = (registered.json() as { tenant: { id: string } }).tenant.id;
      const writer = await login(b, email, password);

      const writes: Write[] = [];
      let stop = false;
      const load = Array.from({ length: WRITERS }, async (_, w) => {
        for (let n = 0; !stop; n++) {
          const sentAt = Date.now();
          const res = await call(b, 'POST', '/api/v1/projects', { name: `w${w}-${n}` }, writer);
          writes.push({ sentAt, doneAt: Date.now(), res });
          // Refused: keep probing, gently (the suite's other specs share the machine and FerretDB).
          if (res.statusCode !== 201) await new Promise((r) => setTimeout(r, REFUSED_PAUSE_MS));
        }
      });
      while (writes.filter((w) => w.res.statusCode === 201).length < WRITES_BEFORE_DELETE)
        await new Promise((r) => setTimeout(r, 10));
      expect(await databases()).toContain(`t_${tenantId}`);

      const deleteSent = Date.now();
      const deleted = await call(a, 'DELETE', `/api/v1/tenants/${tenantId}`, undefined, rootAuth);
      const deleteDone = Date.now();
      deleteMs = Math.max(deleteMs, deleteDone - deleteSent);
      expect({ status: deleted.statusCode, body: deleted.body }).toEqual({ status: 204, body: '' });
      await new Promise((r) => setTimeout(r, WRITE_ON_MS));
      stop = true;
      await Promise.all(load);
      await new Promise((r) => setTimeout(r, 200));

      for (const { res } of writes) {
        byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 201) totals.created++;
        else if (res.statusCode >= 500 && res.statusCode !== 503) totals.serverErrors++;
        else {
          totals.refused++;
          const codes = REFUSED[res.statusCode];
          expect({ status: res.statusCode, allowed: codes !== undefined }).toEqual({
            status: res.statusCode,
            allowed: true,
          });
          expectErrorBody(asInjectResponse(res), res.statusCode, (res.json() as { code: string }).code);
          expect(codes).toContain((res.json() as { code: string }).code);
        }
      }
      // A write sent once the DELETE had answered, or still answered 201 after it, landed after the drop.
      totals.createdAfterDelete += writes.filter(
        (w) => w.res.statusCode === 201 && (w.sentAt >= deleteDone || w.doneAt > deleteDone),
      ).length;
      if ((await databases()).includes(`t_${tenantId}`)) totals.zombies++;
      // The writer is refused at the end (not still writing somewhere).
      expect(writes[writes.length - 1].res.statusCode).not.toBe(201);
    }

    const statuses = [...byStatus.entries()].map(([s, n]) => `${s}x${n}`).join(' ');
    console.log(
      `delete across instances: ${ROUNDS} tenants deleted through A under ${WRITERS} writers on B, ` +
        `${totals.created} writes created before, ${totals.refused} refused (${statuses}), ` +
        `${totals.serverErrors} server errors, ${totals.createdAfterDelete} created after the DELETE, ` +
        `${totals.zombies} zombie databases (slowest DELETE ${deleteMs} ms)`,
    );
    expect(totals).toEqual(expect.objectContaining({ serverErrors: 0, createdAfterDelete: 0, zombies: 0 }));
    expect(totals.created).toBeGreaterThanOrEqual(ROUNDS * WRITES_BEFORE_DELETE);
  });
});

// Promise: when not every instance can be reached (here Redis, the fence's channel, is down),
// deletion drops nothing: 503 in the error shape, the tenant stays `deleting` (refused) with its
// database kept. Once Redis is back, repeating the DELETE finishes it, and so does the background
// sweep for a deletion nobody repeats.
describe('tenant deletion when the fence cannot be confirmed', () => {
  let redis: RedisHandle;
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp({ REDIS_URL: redis.url });
    f = new Factory(t.app);
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('Redis down: 503, database kept, tenant refused; resumed by a DELETE or the sweep once Redis returns', async () => {
    const root = await f.superadminSession();
    const [repeated, swept] = [await f.tenant(), await f.tenant()];
    for (const tenant of [repeated, swept]) await f.project(tenant.admin);
    const databases = async () => {
      const { databases: list } = await t.app.get(MasterConnection).connection.db!.admin().listDatabases();
      return list.map((d: { name: string }) => d.name);
    };
    const remove = (tenantId: string) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/tenants/${tenantId}`, headers: root.auth });

    await redis.stop();
    for (const tenant of [repeated, swept]) {
      const pending = await remove(tenant.tenantId);
      const body = expectErrorBody(pending, 503, 'SERVICE_UNAVAILABLE');
      expect(body.detail).toMatch(/^Tenant deletion is pending \(Redis unavailable/);
      expect(pending.headers['retry-after']).toBe('5');
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/projects',
        headers: tenant.admin.auth,
        payload: { name: 'during pending deletion' },
      });
      expectErrorBody(write, 401, 'UNAUTHENTICATED');
    }
    expect(await databases()).toEqual(expect.arrayContaining([`t_${repeated.tenantId}`, `t_${swept.tenantId}`]));

    redis = await startRedis({ port: redis.port });
    const started = Date.now();
    let again = await remove(repeated.tenantId);
    while (again.statusCode === 503 && Date.now() - started < 10000) {
      await new Promise((r) => setTimeout(r, 200));
      again = await remove(repeated.tenantId);
    }
    expect({ status: again.statusCode, body: again.body }).toEqual({ status: 204, body: '' });
    const repeatedMs = Date.now() - started;

    // Nobody repeats the second DELETE: the sweep (every minute, for deletions stuck over 2 minutes;
    // called here with no age limit) finishes it.
    expect(await t.app.get(TenantDeletionSweeper).sweep(0)).toEqual([swept.tenantId]);
    const left = await databases();
    expect(left).not.toContain(`t_${repeated.tenantId}`);
    expect(left).not.toContain(`t_${swept.tenantId}`);
    console.log(
      `delete with Redis down: 2 x 503 with databases kept; after Redis returned, a repeated DELETE ` +
        `finished one in ${repeatedMs} ms and the sweep the other`,
    );
  });
});
