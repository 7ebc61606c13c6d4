import { rmSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { expectErrorBody } from './support/expect-error';
import { type FerretDbHandle, freePort, startFerretDb } from './support/services';
import { createTestApp, type TestApp } from './support/test-app';
import { IDLE_OUTBOX } from './support/readiness';

const SELECTION_TIMEOUT_MS = 1000;
const LOGIN = { email: 'nobody@example.com', password: 'whatever-password-1' };

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: Math.round(performance.now() - started) };
}

const ready = (app: NestFastifyApplication) => app.inject({ method: 'GET', url: '/health/ready' });
const login = (app: NestFastifyApplication) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: LOGIN });

/** Polls readiness until 200; returns how long that took, or fails after `timeoutMs`. */
async function waitUntilReady(app: NestFastifyApplication, timeoutMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < timeoutMs) {
    const res = await ready(app);
    if (res.statusCode === 200) return Math.round(performance.now() - started);
    last = `${res.statusCode} ${res.body}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms; last answer: ${last}`);
}

async function expectUp(app: NestFastifyApplication): Promise<void> {
  const res = await ready(app);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({
    status: 'ok',
    checks: { mongodb: 'up', redis: 'up', mail: 'up' },
    mail_outbox: IDLE_OUTBOX,
  });
  // The login route really reaches the database: unknown email -> 401 after a lookup.
  expectErrorBody(await login(app), 401, 'INVALID_CREDENTIALS');
}

async function expectLive(app: NestFastifyApplication): Promise<void> {
  const res = await app.inject({ method: 'GET', url: '/health' });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ status: 'ok' });
}

/** Readiness and a DB-backed route both answer 503 DATABASE_UNAVAILABLE, quickly, with Retry-After. */
async function expectDatabaseUnavailable(app: NestFastifyApplication): Promise<void> {
  const probe = await timed(() => ready(app));
  expectErrorBody(probe.value, 503, 'DATABASE_UNAVAILABLE');
  expect(probe.value.headers['retry-after']).toMatch(/^\d+$/);
  expect(probe.ms).toBeLessThan(3000);

  const api = await timed(() => login(app));
  const body = expectErrorBody(api.value, 503, 'DATABASE_UNAVAILABLE');
  expect(body.detail).not.toMatch(/mongo|selection|ECONNREFUSED/i);
  expect(api.value.headers['retry-after']).toMatch(/^\d+$/);
  expect(api.ms).toBeLessThan(SELECTION_TIMEOUT_MS + 2000);
  console.log(`database down: /health/ready answered 503 in ${probe.ms} ms, login in ${api.ms} ms`);
}

// Promise: losing MongoDB degrades the service instead of hanging it: readiness and DB-backed
// routes answer 503 DATABASE_UNAVAILABLE within the selection timeout, liveness stays 200, and
// the service recovers by itself when the same server comes back.
describe('MongoDB outage while running', () => {
  let ferret: FerretDbHandle | undefined;
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    if (ferret) {
      await ferret.stop();
      rmSync(ferret.dataDir, { recursive: true, force: true });
    }
  });

  it('answers 503 fast while FerretDB is killed, then recovers on restart', async () => {
    ferret = await startFerretDb();
    t = await createTestApp({ MONGODB_URL: ferret.url, MONGO_SERVER_SELECTION_TIMEOUT_MS: `${SELECTION_TIMEOUT_MS}` });
    await expectUp(t.app);

    await ferret.stop('SIGKILL');
    await expectDatabaseUnavailable(t.app); // at once: the pool's sockets just died
    await expectLive(t.app);
    await new Promise((r) => setTimeout(r, 1500));
    await expectDatabaseUnavailable(t.app); // later: the driver now has to wait out server selection

    const { port, dataDir } = ferret;
    const restarted = performance.now();
    ferret = await startFerretDb({ port, dataDir });
    const listeningMs = Math.round(performance.now() - restarted);
    const recoveryMs = await waitUntilReady(t.app, 15000);
    console.log(
      `recovered: /health/ready 200 ${recoveryMs} ms after FerretDB listened again on ${port} ` +
        `(${listeningMs + recoveryMs} ms after the restart began)`,
    );
    await expectUp(t.app);
  });
});

// Promise: the service boots even when MongoDB is down from the start, reports not-ready, and
// becomes ready by itself once MongoDB appears.
describe('MongoDB down at boot', () => {
  let ferret: FerretDbHandle | undefined;
  let t: TestApp | undefined;

  afterEach(async () => {
    await t?.close();
    if (ferret) {
      await ferret.stop();
      rmSync(ferret.dataDir, { recursive: true, force: true });
    }
  });

  it('boots, answers 503, and becomes ready once FerretDB starts on that port', async () => {
    const port = await freePort(); // nothing listens there
    const boot = await timed(() =>
      createTestApp({
        MONGODB_URL: `mongodb://127.0.0.1:${port}`,
        MONGO_SERVER_SELECTION_TIMEOUT_MS: `${SELECTION_TIMEOUT_MS}`,
      }),
    );
    t = boot.value;
    console.log(`booted with MongoDB down in ${boot.ms} ms`);
    expect(boot.ms).toBeLessThan(SELECTION_TIMEOUT_MS + 5000);

    await expectLive(t.app);
    await expectDatabaseUnavailable(t.app);

    ferret = await startFerretDb({ port });
    const readyMs = await waitUntilReady(t.app, 15000);
    console.log(`became ready ${readyMs} ms after FerretDB started`);
    await expectUp(t.app);
  });
});
