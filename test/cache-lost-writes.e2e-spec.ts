import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { ECHO_DELAY_MS } from '../src/identity/cache-echo.service';
import { expectErrorBody } from './support/expect-error';
import { Factory } from './support/factories';
import { createTestApp, requireService, type TestApp } from './support/test-app';

/**
 * A TCP front of the real Redis that can be cut off like a network black hole: while cut off it
 * accepts and holds the client's bytes without answering, and at the end the held connections are
 * dropped with whatever they carried (the client reconnects). Commands sent meanwhile are lost,
 * not delayed: a stalled Redis that later resumes would still run them.
 */
async function blackHoledRedis(): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const target = new URL(requireService('E2E_REDIS_URL'));
  const sockets = new Set<Socket>();
  let cut = false;
  let held: Socket[] = [];
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    if (cut) {
      client.pause();
      held.push(client);
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    // Bytes from the client reach Redis only while not cut off; the rest are dropped.
    client.on('data', (chunk) => {
      if (cut) {
        if (!held.includes(client)) held.push(client);
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: () => {
      cut = true;
    },
    restore: () => {
      cut = false;
      for (const socket of held) socket.destroy();
      held = [];
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

// Promise: a revocation made on an instance cut off from Redis (its invalidation of the shared
// cache is lost) still reaches the other instances once that Redis answers again: the instance
// deletes exactly the keys whose writes it lost, in Redis and on every instance, without flushing
// every cache (a full flush at 10,000 tenants put ~46,000 database reads on the request path).
describe('cache writes lost while Redis was unreachable are repaired on recovery', () => {
  let redis: Awaited<ReturnType<typeof blackHoledRedis>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    redis = await blackHoledRedis();
    a = await createTestApp({ REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '150' });
    b = await createTestApp({ MASTER_DB_NAME: a.config.masterDbName, REDIS_URL: requireService('E2E_REDIS_URL') });
  });
  afterAll(async () => {
    redis?.restore();
    await b?.close();
    await a?.close();
    await redis?.close();
  });

  it('logout-all through the cut-off instance: the other one refuses the old token soon after Redis is back', async () => {
    const f = new Factory(a.app);
    const tenant = await f.tenant();
    const member = await f.member(tenant);
    const other = await f.member(tenant);
    const meOn = (app: TestApp, auth: Record<string, string>) =>
      app.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
    for (let i = 0; i < 2; i++) expect((await meOn(b, member.auth)).statusCode).toBe(200); // B has it cached

    redis.cut();
    const out = await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: member.auth });
    expect(out.statusCode).toBe(204);
    // The window this repairs: B still holds the old state (its copy and the shared one in Redis).
    expect((await meOn(b, member.auth)).statusCode).toBe(200);
    // Cut off past the invalidation's echo (CacheEcho, 1 s later): that second try is lost too, so
    // only the recovery can repair it.
    await new Promise((r) => setTimeout(r, ECHO_DELAY_MS + 1000));
    expect((await meOn(b, member.auth)).statusCode).toBe(200);

    redis.restore();
    const backAt = Date.now();
    let refusedAfter = -1;
    while (Date.now() - backAt < 5000) {
      // A's next cache call after its 1 s bypass finds Redis back and repairs what it lost.
      await meOn(a, other.auth);
      const res = await meOn(b, member.auth);
      if (res.statusCode !== 200) {
        expectErrorBody(res, 401, 'UNAUTHENTICATED');
        refusedAfter = Date.now() - backAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(
      refusedAfter >= 0
        ? `lost cache write repaired: B refused the revoked token ${refusedAfter} ms after Redis was back`
        : 'lost cache write NOT repaired: B still accepted the revoked token 5 s after Redis was back',
    );
    expect(refusedAfter).toBeGreaterThanOrEqual(0);
    expect(refusedAfter).toBeLessThan(3000);
    // Nothing else was flushed: the other member's entries are still served from B's cache.
    expect((await meOn(b, other.auth)).statusCode).toBe(200);
  }, 60_000);
});
