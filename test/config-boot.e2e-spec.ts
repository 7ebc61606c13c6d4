import { requireBuiltServer, spawnServer } from './support/real-server';

/** Generous for a cold Node start on a busy 2-core machine; a config failure needs no I/O. */
const EXIT_WITHIN_MS = 5000;

function configErrorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('config error: '));
}

// Promise: the real server entry (dist/main.js) refuses a bad environment before doing anything:
// exit code 1 within seconds, one `config error:` line per problem on stderr, never listening.
describe('boot with an invalid environment', () => {
  beforeAll(() => requireBuiltServer());

  it('production without SECRET_KEY/MONGODB_URL/SMTP_URL and a bad PORT: exit 1, one line per problem', async () => {
    const server = spawnServer({ NODE_ENV: 'production', PORT: 'abc' });
    try {
      const exit = await server.exited;
      expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 1, signal: null });
      expect(exit.afterMs).toBeLessThan(EXIT_WITHIN_MS);
      const lines = configErrorLines(server.stderr());
      expect(lines).toHaveLength(4);
      expect(lines).toEqual(
        expect.arrayContaining([
          'config error: PORT must be an integer, got "abc"',
          'config error: MONGODB_URL is required in production',
          'config error: SMTP_URL is required in production (or set MAIL_DISABLED=true to run without mail)',
          expect.stringMatching(/^config error: SECRET_KEY is required in production/),
        ]),
      );
      // Nothing but those lines: no stack trace, no "fatal:".
      expect(server.stderr().trim().split('\n')).toEqual(lines);
      expect(server.stdout()).not.toMatch(/listening/i);
    } finally {
      server.kill();
    }
  });

  it('a single bad variable gives exactly one line, and never echoes a secret', async () => {
    const server = spawnServer({
      NODE_ENV: 'production',
      SECRET_KEY: 'short-but-secret-value',
      MAIL_DISABLED: 'true',
      MONGODB_URL: 'mongodb://app:Top-Secret-Pw@127.0.0.1:1/app',
    });
    try {
      const exit = await server.exited;
      expect(exit.code).toBe(1);
      expect(configErrorLines(server.stderr())).toEqual([
        expect.stringMatching(/^config error: SECRET_KEY must be at least 32 bytes/),
      ]);
      expect(server.stderr() + server.stdout()).not.toMatch(/short-but-secret-value|Top-Secret-Pw/);
      expect(server.stdout()).not.toMatch(/listening/i);
    } finally {
      server.kill();
    }
  });
});
