import { execFileSync } from 'node:child_process';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, strongPassword, uniqueEmail } from './support/factories';

/** Brute-force limits on login, refresh and registration: shared through Redis, kept without it. */
describe('rate limits', () => {
  const limits = {
    RATE_LIMIT_LOGIN_IP: '1000/60',
    RATE_LIMIT_LOGIN_ACCOUNT: '5/900',
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

  it('locks an account after 5 failed logins, whatever X-Forwarded-For says; the right password is refused too', async () => {
    const t = await createTestApp(limits);
    try {
      const f = new Factory(t.app);
      const tenant = await f.tenant();
      const user = await f.member(tenant);
      const failures = await failuresBefore429(t, user.email, (i) => ({ 'x-forwarded-for': `203.0.113.${i}` }));
      console.log(`login brute force: ${failures} failures before 429, X-Forwarded-For rotated on every request`);
      expect(failures).toBe(5);
      const right = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      expectErrorBody(right, 429, 'RATE_LIMITED');
      // Another account is unaffected.
      const other = await f.member(tenant);
      expect((await f.login(other.email, other.password)).token_type).toBe('bearer');
    } finally {
      await t.close();
    }
  });

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
      await failuresBefore429(t, email, () => ({}));
      const url = new URL(process.env.E2E_REDIS_URL!);
      const count = execFileSync(
        'redis-cli',
        ['-h', url.hostname, '-p', url.port, 'GET', `${t.config.masterDbName}:rl:loginAccount:${email}`],
        {
          encoding: 'utf8',
        },
      ).trim();
      expect(Number(count)).toBe(5);
    } finally {
      await t.close();
    }
  });
});
