import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { createTestApp, requireService } from './support/test-app';
import { IDLE_OUTBOX } from './support/readiness';

const ANSWER_DELAY_MS = 1200;

/**
 * A TCP front of the real Redis that accepts at once but holds the client's bytes for `delayMs`
 * before forwarding them (a Redis slow to answer its first handshake, as on a loaded machine), or
 * forever with `delayMs = Infinity` (a frozen Redis: TCP accepted, no answer).
 */
async function slowRedis(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(requireService('E2E_REDIS_URL'));
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    if (delayMs === Infinity) return;
    setTimeout(() => {
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

// Promise: boot awaits Redis's first connection attempt, bounded: a reachable Redis is `up` as
// soon as the app is ready (a readiness probe right after boot never sees a spurious `down`), and a
// Redis that never answers delays boot by at most the bound (connect timeout + 1 s), then `down`.
describe('Redis at boot', () => {
  it.each([
    { label: 'slow to answer (1.2 s)', delayMs: ANSWER_DELAY_MS, expected: 'up' },
    { label: 'frozen (never answers)', delayMs: Infinity, expected: 'down' },
  ])('a Redis $label: readiness right after boot says $expected', async ({ label, delayMs, expected }) => {
    const redis = await slowRedis(delayMs);
    const started = Date.now();
    const t = await createTestApp({ REDIS_URL: redis.url, CACHE_TIMEOUT_MS: '150' });
    const bootMs = Date.now() - started;
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      console.log(`redis at boot, ${label}: boot took ${bootMs} ms, readiness redis ${ready.json().checks.redis}`);
      expect({ status: ready.statusCode, body: ready.json() }).toEqual({
        status: 200,
        body: { status: 'ok', checks: { mongodb: 'up', redis: expected, mail: 'up' }, mail_outbox: IDLE_OUTBOX },
      });
      // Bounded: connect timeout max(CACHE_TIMEOUT_MS, 500) + 1 s handshake slack, plus boot itself.
      expect(bootMs).toBeLessThan(5000);
    } finally {
      await t.close();
      await redis.close();
    }
  });
});
