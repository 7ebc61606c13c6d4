import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { createClient } from '@keyv/redis';
import { expectErrorBody } from './support/expect-error';
import { strongPassword, uniqueEmail } from './support/factories';
import {
  asInjectResponse,
  httpRequest,
  requireBuiltServer,
  type ServerProcess,
  spawnServer,
  waitForStatus,
} from './support/real-server';
import { type RedisHandle, freePort, startRedis } from './support/services';
import { testEnv } from './support/test-app';

/** A revocation must reach the other instance within this (the promise of the local cache). */
const WITHIN_MS = 1000;
/** Local entries while the invalidation channel is lost (short on purpose, see the env below). */
const FALLBACK_TTL_MS = 500;
const POLL_MS = 5;

interface Instance {
  port: number;
  server: ServerProcess;
}
type Auth = Record<string, string>;

// Promise: with the in-process cache on (entries live 60 s locally), a revocation made through one
// instance (logout-all, role change, tenant suspension) is refused by another instance within 1 s,
// because the invalidation travels over Redis pub/sub; a local hit costs no Redis command; and when
// the invalidation channel is lost, the local cache falls back to short TTLs (readiness says so),
// so revocation still lands within that TTL.
describe('local cache in front of Redis, two instances (dist/main.js twice)', () => {
  let redis: RedisHandle;
  let admin: ReturnType<typeof createClient>;
  const instances: Instance[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let root: Auth;

  const call = (at: Instance, method: string, path: string, json?: unknown, headers?: Auth) =>
    httpRequest(at.port, { method, path, json, headers, agent });
  const login = async (at: Instance, email: string, password: string): Promise<Auth> => {
    const res = await call(at, 'POST', '/api/v1/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
    return { authorization: `Bearer ${(res.json() as { access_token: string }).access_token}` };
  };
  const me = (at: Instance, auth: Auth) => call(at, 'GET', '/api/v1/auth/me', undefined, auth);
  const redisCalls = async () => {
    const stats = await admin.sendCommand<string>(['INFO', 'stats']);
    return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1]);
  };

  /** A tenant with its admin and one member, all logged in through A. */
  const tenantWithMember = async () => {
    const [a] = instances;
    const email = uniqueEmail('admin');
    const password = strongPassword();
    const org = `Local ${randomBytes(4).toString('hex')}`;
    const reg = await call(a, 'POST', '/api/v1/auth/register', { email, password, org_name: org });
    expect(reg.statusCode).toBe(201);
    const tenantId = (reg.json() as { tenant: { id: string } }).tenant.id;
    const adminAuth = await login(a, email, password);
    const memberEmail = uniqueEmail('member');
    const created = await call(
      a,
      'POST',
      '/api/v1/users',
      { email: memberEmail, password, full_name: 'Member', role: 'tenant_admin' },
      adminAuth,
    );
    expect(created.statusCode).toBe(201);
    const memberId = (created.json() as { id: string }).id;
    return { tenantId, adminAuth, memberId, member: await login(a, memberEmail, password) };
  };

  /** B answers 200 twice (its local cache now holds everything /auth/me reads). */
  const warm = async (b: Instance, auth: Auth) => {
    for (let i = 0; i < 2; i++) expect((await me(b, auth)).statusCode).toBe(200);
  };

  /** Revokes through A, then polls B until it refuses; returns ms from A's answer to B's refusal. */
  const revocationSeenAfter = async (
    revoke: () => Promise<{ statusCode: number; body: string }>,
    b: Instance,
    auth: Auth,
    expected: { status: number; code: string },
    label: string,
  ) => {
    const done = await revoke();
    expect(done.statusCode).toBeLessThan(300);
    const start = Date.now();
    for (;;) {
      const res = await me(b, auth);
      if (res.statusCode !== 200) {
        const ms = Date.now() - start;
        expectErrorBody(asInjectResponse(res), expected.status, expected.code);
        console.log(`revocation seen by second instance after ${ms} ms (${label})`);
        return ms;
      }
      if (Date.now() - start > 5 * WITHIN_MS) throw new Error(`${label}: B still answers 200 after 5 s`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };

  beforeAll(async () => {
    requireBuiltServer();
    redis = await startRedis();
    admin = createClient({ url: redis.url });
    await admin.connect();
    const env = testEnv({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      // Long local and tenant-status lifetimes: only an invalidation can make B refuse in time.
      LOCAL_CACHE_TTL_MS: '60000',
      TENANT_STATUS_TTL_MS: '60000',
      CACHE_TTL_MS: '60000',
      LOCAL_CACHE_FALLBACK_TTL_MS: String(FALLBACK_TTL_MS),
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      instances.push({ port, server: spawnServer({ ...env, PORT: `${port}` }) });
    }
    await Promise.all(instances.map((i) => waitForStatus(i.port, '/health/ready', 200, 30000)));
    const email = uniqueEmail('root');
    const password = strongPassword();
    const reg = await call(instances[0], 'POST', '/api/v1/auth/register', { email, password, is_superadmin: true });
    expect(reg.statusCode).toBe(201);
    root = await login(instances[0], email, password);
  });
  afterAll(async () => {
    for (const i of instances) i.server.kill();
    agent.destroy();
    await admin?.sendCommand(['ACL', 'SETUSER', 'default', '+@all']).catch(() => undefined);
    admin?.destroy();
    await redis?.stop();
  });

  it('a local hit costs no Redis command', async () => {
    const [, b] = instances;
    const { member } = await tenantWithMember();
    await warm(b, member);
    const before = await redisCalls();
    const N = 50;
    for (let i = 0; i < N; i++) expect((await me(b, member)).statusCode).toBe(200);
    // The INFO call itself counts once.
    const commands = (await redisCalls()) - before - 1;
    console.log(`local cache: ${N} GET /auth/me on a warm instance cost ${commands} Redis commands`);
    expect(commands).toBe(0);
  });

  it('logout-all, role change and tenant suspension through A are refused by B within 1 s', async () => {
    const [a, b] = instances;
    const seen: number[] = [];

    const one = await tenantWithMember();
    await warm(b, one.member);
    seen.push(
      await revocationSeenAfter(
        () => call(a, 'POST', '/api/v1/auth/logout-all', undefined, one.member),
        b,
        one.member,
        { status: 401, code: 'UNAUTHENTICATED' },
        'logout-all',
      ),
    );

    const two = await tenantWithMember();
    await warm(b, two.member);
    seen.push(
      await revocationSeenAfter(
        () => call(a, 'PATCH', `/api/v1/users/${two.memberId}`, { role: 'user' }, two.adminAuth),
        b,
        two.member,
        { status: 401, code: 'UNAUTHENTICATED' },
        'role change',
      ),
    );

    const three = await tenantWithMember();
    await warm(b, three.member);
    seen.push(
      await revocationSeenAfter(
        () => call(a, 'PATCH', `/api/v1/tenants/${three.tenantId}`, { status: 'suspended' }, root),
        b,
        three.member,
        { status: 403, code: 'TENANT_SUSPENDED' },
        'tenant suspension',
      ),
    );
    expect(Math.max(...seen)).toBeLessThan(WITHIN_MS);
  });

  it('invalidation channel lost: readiness says so, and revocation still lands within the short TTL', async () => {
    const [a, b] = instances;
    const user = await tenantWithMember();
    // Subscriptions refused from now on, then every subscriber connection cut: they reconnect but
    // cannot subscribe again, so invalidations published meanwhile reach nobody.
    await admin.sendCommand(['ACL', 'SETUSER', 'default', '-subscribe']);
    const killed = await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    expect(Number(killed)).toBeGreaterThanOrEqual(2);
    await waitForReadiness(b.port, { mongodb: 'up', redis: 'up', cache_invalidation: 'lost' });
    await warm(b, user.member);
    const ms = await revocationSeenAfter(
      () => call(a, 'POST', '/api/v1/auth/logout-all', undefined, user.member),
      b,
      user.member,
      { status: 401, code: 'UNAUTHENTICATED' },
      `subscription lost, LOCAL_CACHE_FALLBACK_TTL_MS=${FALLBACK_TTL_MS}`,
    );
    expect(ms).toBeLessThan(FALLBACK_TTL_MS + 250);

    // Back: subscriptions allowed again, the instance resubscribes by itself.
    await admin.sendCommand(['ACL', 'SETUSER', 'default', '+@all']);
    await waitForReadiness(b.port, { mongodb: 'up', redis: 'up' });
  });
});

/** Readiness's status and checks (its mail outbox depth is not this spec's business). */
async function waitForReadiness(port: number, checks: Record<string, string>): Promise<void> {
  const started = Date.now();
  const expected = { status: 'ok', checks: { ...checks, mail: 'up' } };
  let last: unknown;
  while (Date.now() - started < 10000) {
    const res = await httpRequest(port, { path: '/health/ready', agent: false });
    const body = res.json() as { status: string; checks: unknown };
    last = { status: body.status, checks: body.checks };
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(last).toEqual(expected);
}
