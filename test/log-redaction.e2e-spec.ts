import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/infra/config/load-config';
import { createLogger } from '../src/infra/logging/logger';
import { lineSink, testEnv } from './support/test-app';
import { Factory } from './support/factories';

/** Secrets never reach the logs: passwords, tokens, hashes, whatever the log level. */
describe('logs', () => {
  it('carry request ids but no password, token or hash, at debug level with request logging on', async () => {
    const lines: string[] = [];
    const sink = lineSink(lines);
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

  /**
   * The app logs no request body or header today, so the requests above never reach the redaction
   * list: emptying it would keep that test green. Here the app's own logger (the instance createApp
   * received from createLogger(config)) logs, for every path of the list in
   * src/infra/logging/logger.ts, a record of the shape that path matches with a harmless neighbour
   * field: the secret must be censored, the neighbour kept. Fastify's request loggers are children
   * of it (its req/res serializers drop headers, so those paths are checked on the root logger).
   */
  it('redact every listed path from records logged through the app logger, keeping the neighbours', async () => {
    const lines: string[] = [];
    const config = loadConfig(testEnv({ LOG_LEVEL: 'info' }));
    const logger = createLogger(config, lineSink(lines));
    const app = await createApp(config, logger);
    try {
      // [path, record with the secret in place]; the record built with the censor is what must be logged.
      const cases: Array<[string, (value: string) => object]> = [
        ['req.headers.authorization', (v) => ({ req: { headers: { authorization: v, 'user-agent': 'agent-kept' } } })],
        ['req.headers["x-api-key"]', (v) => ({ req: { headers: { 'x-api-key': v, 'user-agent': 'agent-kept' } } })],
        ['req.headers.cookie', (v) => ({ req: { headers: { cookie: v, host: 'host-kept' } } })],
        ['res.headers["set-cookie"]', (v) => ({ res: { headers: { 'set-cookie': v, 'content-type': 'type-kept' } } })],
        ...[
          'password',
          'new_password',
          'current_password',
          'admin_password',
          'refresh_token',
          'access_token',
          'password_hash',
          'token_hash',
        ].map((key): [string, (value: string) => object] => [
          `*.${key}`,
          (v) => ({ body: { [key]: v, email: `${key}-kept@example.com` } }),
        ]),
      ];
      const secrets: string[] = [];
      const logged = (msg: string) => {
        const line = lines.find((l) => (JSON.parse(l) as { msg?: string }).msg === msg);
        return line === undefined ? undefined : (JSON.parse(line) as object);
      };
      const fastifyLog = (app.getHttpAdapter().getInstance().log as Logger).child({ request_id: 'probe' });
      const leaked: string[] = [];
      for (const [path, build] of cases) {
        const value = `Bearer ${path}-SECRET-${randomBytes(8).toString('hex')}`;
        secrets.push(value);
        logger.info(build(value), `probe ${path}`);
        const expected = build('[redacted]');
        const line = logged(`probe ${path}`);
        if (line === undefined || JSON.stringify(line).includes(value)) leaked.push(path);
        expect({ path, line }).toEqual({ path, line: expect.objectContaining(expected) });
        if (!path.startsWith('*.')) continue;
        fastifyLog.warn(build(value), `probe request log ${path}`);
        expect({ path, line: logged(`probe request log ${path}`) }).toEqual({
          path,
          line: expect.objectContaining({ request_id: 'probe', ...expected }),
        });
      }
      const text = lines.join('\n');
      console.log(`log redaction: ${cases.length} paths logged through the app logger, ${leaked.length} leaked`);
      expect(leaked).toEqual([]);
      expect(secrets.filter((v) => text.includes(v))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
