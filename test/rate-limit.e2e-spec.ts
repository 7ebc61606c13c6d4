import { execFileSync } from 'node:child_process';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, strongPassword, uniqueEmail } from './support/factories';

/**
 * Limits on login, refresh and registration: counted before the work they guard (a parallel burst
 * admits exactly the limit), shared through Redis, kept without it. test/brute-force.e2e-spec.ts
 * covers the login policy itself.
 */
describe('rate limits', () => {
  const limits = {
    RATE_LIMIT_LOGIN_IP: '1000/60',
    RATE_LIMIT_LOGIN_ACCOUNT_IP: '5/900',
    RATE_LIMIT_LOGIN_ACCOUNT: '1000/900',
    RATE_LIMIT_REFRESH_IP: '8/60',
    RATE_LIMIT_REGISTER_IP: '3/600',
  };

  async function failuresBefore429(t: TestApp, email: string, headers: (i: number) => Record<string, string>) {
    for (let i = 0; i < 50; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: headers(i),
        payload: { email, password: 'wrong-password-x' },
      });
      if (res.statusCode === 429) {
        const body = expectErrorBody(res, 429, 'RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(body.detail).toBe('Too many requests; retry later');
        return i;
      }
      expectErrorBody(res, 401, 'INVALID_CREDENTIALS');
    }
    return Infinity;
  }

  it('limits registration and refresh per client address', async () => {
    const t = await createTestApp(limits);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          headers: { 'x-forwarded-for': `198.51.100.${i}` }, // not trusted: TRUST_PROXY is unset
          payload: { email: uniqueEmail(), password: strongPassword(), org_name: `Org ${i} ${Date.now()}` },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) expectErrorBody(res, 429, 'RATE_LIMITED');
      }
      expect(codes).toEqual([201, 201, 201, 429, 429]);
      const refresh: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/refresh-token',
          payload: { refresh_token: `x${i}` },
        });
        refresh.push(res.statusCode);
      }
      expect(refresh).toEqual([...Array(8).fill(401), 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('honours X-Forwarded-For only from a trusted proxy', async () => {
    const t = await createTestApp({ ...limits, TRUST_PROXY: '127.0.0.1' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `192.0.2.${i}` },
          payload: { email: uniqueEmail(), password: strongPassword(), org_name: `Proxied ${i} ${Date.now()}` },
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201]); // five distinct clients behind the proxy
    } finally {
      await t.close();
    }
  });

  it('still limits with Redis unreachable (in-memory fallback)', async () => {
    const t = await createTestApp({ ...limits, REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const f = new Factory(t.app);
      const tenant = await f.tenant();
      const user = await f.member(tenant);
      expect(await failuresBefore429(t, user.email, () => ({}))).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('counts in Redis, so the limit is shared by every process', async () => {
    const t = await createTestApp(limits);
    try {
      const email = uniqueEmail('shared');
      expect(await failuresBefore429(t, email, () => ({}))).toBe(5);
      const url = new URL(process.env.E2E_REDIS_URL!);
      const get = (key: string) =>
        execFileSync('redis-cli', ['-h', url.hostname, '-p', url.port, 'GET', key], { encoding: 'utf8' }).trim();
      const prefix = `${t.config.masterDbName}:rl`;
      // Six attempts counted for (email, address), the refused sixth included; five reached bcrypt.
      expect(Number(get(`${prefix}:loginAccountIp:${email}|127.0.0.1`))).toBe(6);
      expect(Number(get(`${prefix}:loginAccount:${email}`))).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('parallel bursts against refresh, registration and sign-up per email admit exactly the limit', async () => {
    const t = await createTestApp({ ...limits, TRUST_PROXY: 'loopback', RATE_LIMIT_SIGNUP_EMAIL: '3/86400' });
    try {
      const count = (responses: Array<{ statusCode: number }>, status: number) =>
        responses.filter((r) => r.statusCode === status).length;
      const refresh = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/refresh-token',
            headers: { 'x-forwarded-for': '203.0.113.10' },
            payload: { refresh_token: `burst-${i}` },
          }),
        ),
      );
      const register = await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/register',
            headers: { 'x-forwarded-for': '203.0.113.11' },
            payload: { email: uniqueEmail(), password: strongPassword(), org_name: `Burst ${i} ${Date.now()}` },
          }),
        ),
      );
      // One email, ten sign-ups in parallel from ten addresses: the per-address limit does not apply.
      const email = uniqueEmail('collector');
      const signup = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/auth/register',
            headers: { 'x-forwarded-for': `198.51.100.${100 + i}` },
            payload: { email, password: strongPassword(), org_name: `Collector ${i} ${Date.now()}` },
          }),
        ),
      );
      for (const res of [...refresh, ...register, ...signup].filter((r) => r.statusCode === 429)) {
        expectErrorBody(res, 429, 'RATE_LIMITED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      console.log(
        `refresh burst: 30 parallel, ${count(refresh, 401)} admitted (401), ${count(refresh, 429)} x 429 (limit 8); ` +
          `register burst: 15 parallel, ${count(register, 201)} x 201, ${count(register, 429)} x 429 (limit 3); ` +
          `sign-up burst for one email from 10 addresses: ${count(signup, 201)} x 201, ${count(signup, 429)} x 429 (limit 3)`,
      );
      expect([count(refresh, 401), count(refresh, 429)]).toEqual([8, 22]);
      expect([count(register, 201), count(register, 429)]).toEqual([3, 12]);
      expect([count(signup, 201), count(signup, 429)]).toEqual([3, 7]);
    } finally {
      await t.close();
    }
  });

  it('bounds the tenants one email can collect through sign-up (409 EMAIL_TENANT_LIMIT)', async () => {
    const t = await createTestApp({ ...limits, RATE_LIMIT_REGISTER_IP: '1000/600', SIGNUP_MAX_TENANTS_PER_EMAIL: '2' });
    try {
      const email = uniqueEmail('quota');
      const statuses: number[] = [];
      let refused: Record<string, unknown> | undefined;
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email, password: strongPassword(), org_name: `Quota ${i} ${Date.now()}` },
        });
        statuses.push(res.statusCode);
        if (res.statusCode === 409) refused = expectErrorBody(res, 409, 'EMAIL_TENANT_LIMIT');
      }
      console.log(`sign-up quota: one email, 3 sign-ups in a row with a quota of 2: ${statuses.join(', ')}`);
      expect(statuses).toEqual([201, 201, 409]);
      expect(refused?.detail).toMatch(/already belongs to 2 tenants/);
    } finally {
      await t.close();
    }
  });
});
