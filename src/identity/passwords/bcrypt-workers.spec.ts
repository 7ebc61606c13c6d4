import { readFileSync, readdirSync } from 'node:fs';
import { BcryptWorkers, HASHING_NICE } from './bcrypt-workers';

/** The nice value of each thread of this process (Linux /proc: field 19 of stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('BcryptWorkers', () => {
  it('hashes and compares on at most `size` threads, the others waiting their turn', async () => {
    const workers = new BcryptWorkers(2);
    try {
      const hash = await workers.hash('secret', 4);
      expect(hash).toMatch(/^\$2b\$04\$/);
      const results = await Promise.all(
        ['secret', 'wrong', 'secret', 'nope', 'secret'].map((p) => workers.compare(p, hash)),
      );
      expect({ results, started: workers.started }).toEqual({ results: [true, false, true, false, true], started: 2 });
    } finally {
      await workers.close();
    }
  });

  it('runs its threads at a lower priority than the event loop (Linux)', async () => {
    const before = threadNices().filter((n) => n === HASHING_NICE).length;
    const workers = new BcryptWorkers(2);
    try {
      await Promise.all([workers.hash('a', 4), workers.hash('b', 4)]);
      const lowered = threadNices().filter((n) => n === HASHING_NICE).length - before;
      expect({ lowered, eventLoop: threadNices()[0] }).toEqual({ lowered: 2, eventLoop: 0 });
    } finally {
      await workers.close();
    }
  });

  it('fails a job bcrypt refuses, and fails what is left once closed', async () => {
    const workers = new BcryptWorkers(1);
    await expect(workers.hash('x', 99)).rejects.toThrow(/rounds|cost|Invalid/i);
    expect(await workers.compare('x', await workers.hash('x', 4))).toBe(true);
    const slow = expect(workers.hash('y', 10)).rejects.toThrow('exited');
    const queued = expect(workers.hash('z', 4)).rejects.toThrow('bcrypt workers closed');
    await workers.close();
    await Promise.all([slow, queued]);
    await expect(workers.hash('w', 4)).rejects.toThrow('bcrypt workers closed');
  });
});
