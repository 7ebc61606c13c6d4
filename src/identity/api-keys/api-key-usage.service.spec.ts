import { ApiKeyUsage, LAST_USED_WRITE_EVERY_MS } from './api-key-usage.service';
import type { ApiKeysRepository } from './api-keys.repository';

describe('ApiKeyUsage (last_used_at throttle)', () => {
  const writes: Array<[string, number]> = [];
  let fail = false;
  const repo = {
    touch: (hash: string, at: Date) => {
      writes.push([hash, at.getTime()]);
      return fail ? Promise.reject(new Error('down')) : Promise.resolve();
    },
  } as unknown as ApiKeysRepository;

  beforeEach(() => {
    writes.length = 0;
    fail = false;
  });

  it('writes a key at most once per interval, each key on its own', () => {
    const usage = new ApiKeyUsage(repo);
    const t0 = 1_000_000;
    for (let i = 0; i < 100; i++) usage.touch('a', t0 + i * 10);
    usage.touch('b', t0 + 5);
    usage.touch('a', t0 + LAST_USED_WRITE_EVERY_MS);
    expect(writes).toEqual([
      ['a', t0],
      ['b', t0 + 5],
      ['a', t0 + LAST_USED_WRITE_EVERY_MS],
    ]);
  });

  it('tries again on the next use after a failed write, without throwing', async () => {
    const usage = new ApiKeyUsage(repo);
    fail = true;
    usage.touch('a', 1);
    await new Promise((resolve) => setImmediate(resolve));
    fail = false;
    usage.touch('a', 2);
    expect(writes.map(([, at]) => at)).toEqual([1, 2]);
  });
});
