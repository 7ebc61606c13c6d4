import type { AppConfig } from '../../infra/config/app-config';
import { PasswordService } from './password.service';

const config = { security: { bcryptCost: 4, passwordMinLength: 8 } } as AppConfig;

describe('PasswordService', () => {
  const service = new PasswordService(config);
  const others: PasswordService[] = [];
  afterAll(() => Promise.all([service, ...others].map((s) => s.onModuleDestroy())));

  it('applies NIST 800-63B: length bounds and a blocklist, no composition rules', () => {
    expect(service.policyProblems('zq7-x')).toEqual(['must be at least 8 characters']);
    expect(service.policyProblems('x'.repeat(129))).toEqual(['must be at most 128 characters']);
    expect(service.policyProblems('Password123')).toEqual(['is too common; choose a less guessable password']);
    expect(service.policyProblems('alllowercaseletters')).toEqual([]);
    expect(service.policyProblems('ada@example.com', ['ada@example.com'])).toEqual([
      'must not be the same as your email or name',
    ]);
    // Length counts characters, not UTF-16 units.
    expect(service.policyProblems('😀😀😀😀😀😀😀😀')).toEqual([]);
  });

  it('hashes with bcrypt and tells passwords apart beyond 72 bytes', async () => {
    const long = 'x'.repeat(100);
    const hash = await service.hash(`${long}-one`);
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await service.verify(`${long}-one`, hash)).toBe(true);
    expect(await service.verify(`${long}-two`, hash)).toBe(false);
  });

  it('burns a comparison for unknown accounts', async () => {
    expect(await service.verifyDummy('anything')).toBe(false);
  });

  it('runs at most BCRYPT_CONCURRENCY bcrypt operations at once; the rest queue', async () => {
    const capped = new PasswordService({ security: { ...config.security, bcryptConcurrency: 1 } } as AppConfig);
    others.push(capped);
    const hash = await capped.hash('a sound passphrase');
    await capped.verifyDummy('warm'); // its dummy hash is ready: verifyDummy then queues within microtasks
    const workers = (capped as unknown as { workers: { queued: number } }).workers;
    const checks = [capped.verify('a sound passphrase', hash), capped.verify('wrong', hash), capped.verifyDummy('x')];
    // Microtasks only: a bcrypt completion arrives as a worker message (poll phase), so none can free the slot
    // meanwhile (a setImmediate here let a fast first comparison finish first on a loaded machine).
    for (let i = 0; i < 5; i++) await Promise.resolve();
    const queuedWhileRunning = workers.queued;
    expect({ results: await Promise.all(checks), queuedWhileRunning }).toEqual({
      results: [true, false, false],
      queuedWhileRunning: 2,
    });
  });
});
