import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import autocannon, { type Result } from 'autocannon';
import { spawnServer, type ServerProcess, waitForStatus } from './support/real-server';
import { type FerretDbHandle, type RedisHandle, freePort, startFerretDb, startRedis } from './support/services';

/** MONGO_OPERATION_TIMEOUT_MS of the server under test. */
const DEADLINE_MS = 2000;
/** What a request may take on top of the deadline: the app's own work on a shared 2-core machine. */
const MARGIN_MS = 1000;
const FREEZE_MS = 5000;

interface Tally {
  statuses: Record<number, number>;
  /** 503 answers in the documented shape: code DATABASE_UNAVAILABLE and a Retry-After header. */
  documented503: number;
  otherBodies: string[];
}

/**
 * A database that stops answering on open connections (SIGSTOP: what a stalled primary or a
 * partition without resets looks like), under load, against the real server process with its
 * own FerretDB and Redis: every request answers within the deadline, 200 or a documented 503.
 */
describe('database stalled under load (MONGO_OPERATION_TIMEOUT_MS)', () => {
  let ferret: FerretDbHandle;
  let redis: RedisHandle;
  let server: ServerProcess;
  let port: number;
  let base: string;
  let token: string;
  let projectId: string;

  async function api(method: string, path: string, body?: unknown, auth?: string) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.text()) || '{}' };
  }

  beforeAll(async () => {
    [ferret, redis] = await Promise.all([startFerretDb(), startRedis()]);
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnServer({
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      SECRET_KEY: randomBytes(48).toString('base64url'),
      MONGODB_URL: ferret.url,
      REDIS_URL: redis.url,
      MASTER_DB_NAME: 'stall',
      MONGO_OPERATION_TIMEOUT_MS: String(DEADLINE_MS),
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'error',
    });
    await waitForStatus(port, '/health/ready', 200, 20000);
    const email = `stall-${randomBytes(4).toString('hex')}@example.com`;
    const password = `Stall-${randomBytes(8).toString('hex')}`;
    expect((await api('POST', '/api/v1/auth/register', { email, password, org_name: 'Stall Org' })).status).toBe(201);
    token = (
      JSON.parse((await api('POST', '/api/v1/auth/login', { email, password })).body) as { access_token: string }
    ).access_token;
    projectId = (JSON.parse((await api('POST', '/api/v1/projects', { name: 'p' }, token)).body) as { id: string }).id;
  });

  afterAll(async () => {
    server.kill();
    ferret.child.kill('SIGCONT'); // a failed run must not leave it frozen
    await Promise.all([ferret.destroy(), redis.stop()]);
  });

  function load(path: string, seconds: number, connections: number, tally: Tally): Promise<Result> {
    return autocannon({
      url: `${base}${path}`,
      duration: seconds,
      connections,
      // Longer than any bounded answer: a request still open past it counts as a timeout.
      timeout: 10,
      requests: [
        {
          method: 'GET',
          headers: { authorization: `Bearer ${token}` },
          onResponse: (status: number, body: string, _context: object, headers?: IncomingHttpHeaders) => {
            tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
            if (status === 503) {
              const code = (JSON.parse(body) as { code?: string }).code;
              if (code === 'DATABASE_UNAVAILABLE' && Number(headers?.['retry-after']) > 0) tally.documented503++;
              else tally.otherBodies.push(body);
            } else if (status !== 200) tally.otherBodies.push(`${status} ${body}`);
          },
        },
      ],
    });
  }
  const tally = (): Tally => ({ statuses: {}, documented503: 0, otherBodies: [] });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('every request answers within the deadline (200 or 503 + Retry-After), readiness 503 during, 200 within 1 s after', async () => {
    const me = tally();
    const db = tally();
    const seconds = 1 + FREEZE_MS / 1000 + 2;
    const runs = Promise.all([
      load('/api/v1/auth/me', seconds, 4, me),
      load(`/api/v1/projects/${projectId}`, seconds, 4, db),
    ]);

    await sleep(1000);
    expect(ferret.child.kill('SIGSTOP')).toBe(true);
    const frozenAt = Date.now();
    // Readiness while frozen: 503 DATABASE_UNAVAILABLE, answered within the deadline.
    await sleep(DEADLINE_MS);
    const readyStarted = Date.now();
    const during = await api('GET', '/health/ready');
    const readyDuringMs = Date.now() - readyStarted;
    await sleep(Math.max(0, FREEZE_MS - (Date.now() - frozenAt)));
    ferret.child.kill('SIGCONT');
    const resumedAt = Date.now();
    let readyAfterMs = -1;
    while (Date.now() - resumedAt < 5000) {
      if ((await api('GET', '/health/ready')).status === 200) {
        readyAfterMs = Date.now() - resumedAt;
        break;
      }
      await sleep(25);
    }
    const [meRun, dbRun] = await runs;

    // No request errors after: both routes answer 200 only.
    const afterMe = tally();
    const afterDb = tally();
    const [meAfter, dbAfter] = await Promise.all([
      load('/api/v1/auth/me', 1, 2, afterMe),
      load(`/api/v1/projects/${projectId}`, 1, 2, afterDb),
    ]);

    const slowest = Math.max(meRun.latency.max, dbRun.latency.max);
    console.log(
      `database stalled ${FREEZE_MS} ms under load (deadline ${DEADLINE_MS} ms): ` +
        `${meRun.requests.total + dbRun.requests.total} requests, slowest ${slowest} ms ` +
        `(bound ${DEADLINE_MS + MARGIN_MS}); /auth/me ${JSON.stringify(me.statuses)}, ` +
        `/projects/{id} ${JSON.stringify(db.statuses)}; ${me.documented503 + db.documented503} 503s all ` +
        `DATABASE_UNAVAILABLE + Retry-After; readiness during ${during.status} in ${readyDuringMs} ms, ` +
        `200 ${readyAfterMs} ms after SIGCONT; after: ${JSON.stringify(afterMe.statuses)} / ${JSON.stringify(afterDb.statuses)}`,
    );

    for (const [run, t] of [
      [meRun, me],
      [dbRun, db],
    ] as const) {
      expect({ errors: run.errors, timeouts: run.timeouts, other: t.otherBodies.slice(0, 3) }).toEqual({
        errors: 0,
        timeouts: 0,
        other: [],
      });
      expect(Object.keys(t.statuses).every((s) => s === '200' || s === '503')).toBe(true);
      expect(run.latency.max).toBeLessThanOrEqual(DEADLINE_MS + MARGIN_MS);
    }
    // The route that needs the database did meet the stall (and answered it with the documented 503).
    expect(db.statuses[503]).toBeGreaterThan(0);
    expect(db.documented503).toBe(db.statuses[503]);
    expect(me.documented503).toBe(me.statuses[503] ?? 0);
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toEqual(expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' }));
    expect(during.headers.get('retry-after')).toBe('5');
    expect(readyDuringMs).toBeLessThanOrEqual(DEADLINE_MS + MARGIN_MS);
    expect(readyAfterMs).toBeGreaterThanOrEqual(0);
    expect(readyAfterMs).toBeLessThanOrEqual(1000);
    for (const [run, t] of [
      [meAfter, afterMe],
      [dbAfter, afterDb],
    ] as const) {
      expect({ errors: run.errors, timeouts: run.timeouts, statuses: Object.keys(t.statuses) }).toEqual({
        errors: 0,
        timeouts: 0,
        statuses: ['200'],
      });
    }
  });
});
