import { EventEmitter } from 'node:events';
import { RedisGate } from '../cache/redis-gate.service';
import type { RedisClient } from '../cache/redis-client';
import { ResilientLimiter } from './resilient-limiter';

/**
 * What happens when Redis misbehaves (the e2e specs run the real Redis, up or unreachable). A
 * stand-in client plays the two failures that are hard to stage there: a Redis that errors on
 * every command while "ready", and a frozen one that never answers.
 */
function fakeRedis(evalImpl: () => Promise<unknown>): RedisClient {
  const client = Object.assign(new EventEmitter(), { isReady: true, eval: evalImpl });
  return client as unknown as RedisClient;
}

const rule = { count: 3, windowSeconds: 60 };

async function decisions(limiter: ResilientLimiter, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await limiter.consume('k')).allowed);
  return out;
}

describe('ResilientLimiter', () => {
  it('counts in memory without Redis', async () => {
    const limiter = new ResilientLimiter(rule, 'p', new RedisGate(null), null, 50);
    expect(await decisions(limiter, 5)).toEqual([true, true, true, false, false]);
  });

  it('keeps the limit in memory when every Redis command fails (insurance limiter)', async () => {
    const client = fakeRedis(() => Promise.reject(new Error('READONLY')));
    const limiter = new ResilientLimiter(rule, 'p', new RedisGate(client), client, 50);
    expect(await decisions(limiter, 5)).toEqual([true, true, true, false, false]);
  });

  it('gives a frozen Redis one timeout, then skips it while the gate is suspended', async () => {
    let calls = 0;
    const client = fakeRedis(() => {
      calls++;
      return new Promise(() => undefined); // SIGSTOP: accepted, never answered
    });
    const gate = new RedisGate(client);
    const limiter = new ResilientLimiter(rule, 'p', gate, client, 50);
    const started = performance.now();
    const first = await limiter.consume('k');
    const firstMs = performance.now() - started;
    expect(first.allowed).toBe(true);
    expect(firstMs).toBeGreaterThanOrEqual(45);
    expect(gate.available()).toBe(false);
    const after = performance.now();
    expect(await decisions(limiter, 4)).toEqual([true, true, false, false]);
    expect(performance.now() - after).toBeLessThan(40); // no more waiting on Redis
    expect(calls).toBe(1);
  });
});
