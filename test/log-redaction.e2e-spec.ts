import { Writable } from 'node:stream';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/infra/config/load-config';
import { createLogger } from '../src/infra/logging/logger';
import { testEnv } from './support/test-app';
import { Factory } from './support/factories';

/** Secrets never reach the logs: passwords, tokens, hashes, whatever the log level. */
describe('logs', () => {
  it('carry request ids but no password, token or hash, at debug level with request logging on', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    // development: request logging is on (it is off under NODE_ENV=test to keep test output quiet).
    const config = loadConfig(testEnv({ NODE_ENV: 'development', LOG_LEVEL: 'trace', DATA_DIR: '/tmp/mtb-log-test' }));
    const app = await createApp(config, createLogger(config, sink));
    try {
      const f = new Factory(app);
      const tenant = await f.tenant();
      const user = await f.member(tenant);
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh-token',
        payload: { refresh_token: user.tokens.refresh_token },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: 'Wrong-Password-99' },
      });
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/change-password',
        headers: user.auth,
        payload: { current_password: user.password, new_password: 'Another-Secret-Pass-77' },
      });
      const text = lines.join('\n');
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.some((l) => /"request_id":"[0-9a-f-]{36}"/.test(l))).toBe(true);
      for (const secret of [
        user.password,
        tenant.admin.password,
        'Wrong-Password-99',
        'Another-Secret-Pass-77',
        user.tokens.refresh_token,
        user.tokens.access_token,
        tenant.admin.tokens.access_token,
        config.secretKey,
      ]) {
        expect(text.includes(secret)).toBe(false);
      }
      expect(text).not.toMatch(/\$2[aby]\$\d\d\$/); // no bcrypt hash
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow(); // structured JSON only
    } finally {
      await app.close();
    }
  });
});
