import type { Response as InjectResponse } from 'light-my-request';
import { countBcrypt } from './support/bcrypt-counter';
import { expectErrorBody } from './support/expect-error';
import { Factory, strongPassword, uniqueEmail } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Password guessing under concurrency (docs/security.md, "Brute force"): every attempt is counted
 * before its bcrypt work; the tight limit is per (account, client address), the per-account limit
 * across addresses only slows. TRUST_PROXY=loopback lets X-Forwarded-For play client addresses.
 */
describe('brute-force protection', () => {
  const PAIR_LIMIT = 5;
  const ACCOUNT_LIMIT = 20;
  const env = {
    TRUST_PROXY: 'loopback',
    BCRYPT_COST: '10', // ~70 ms per comparison: the elapsed time shows how many ran
    RATE_LIMIT_LOGIN_IP: '100000/60',
    RATE_LIMIT_LOGIN_ACCOUNT_IP: `${PAIR_LIMIT}/900`,
    RATE_LIMIT_LOGIN_ACCOUNT: `${ACCOUNT_LIMIT}/900`,
    LOGIN_SLOWDOWN_STEP_MS: '200',
    LOGIN_SLOWDOWN_MAX_MS: '600',
  };
  let t: TestApp;
  let f: Factory;
  beforeAll(async () => {
    t = await createTestApp(env);
    f = new Factory(t.app);
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, address: string, tenant?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': address },
      payload: tenant ? { email, password, tenant } : { email, password },
    });

  function tally(responses: InjectResponse[]): { ok: number; unauthorized: number; limited: number } {
    const out = { ok: 0, unauthorized: 0, limited: 0 };
    for (const res of responses) {
      if (res.statusCode === 200) out.ok++;
      else if (res.statusCode === 401) {
        expectErrorBody(res, 401, 'INVALID_CREDENTIALS');
        out.unauthorized++;
      } else {
        const body = expectErrorBody(res, 429, 'RATE_LIMITED');
        expect(body.detail).toBe('Too many requests; retry later');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        out.limited++;
      }
    }
    return out;
  }

  async function parallelWrongLogins(email: string, address: string, n: number) {
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => login(email, `Wrong-password-${i}`, address)),
    );
    return { ms: performance.now() - started, ...tally(responses) };
  }

  it('50 parallel wrong logins from one address run bcrypt at most the per-(account, address) limit', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    const bcrypt = countBcrypt(t.app);
    // One comparison's time on this machine, now (the other jest worker loads it too).
    const single: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      tally([await login(uniqueEmail('calibrate'), 'Wrong-password', `192.0.2.${i + 1}`)]);
      single.push(performance.now() - started);
    }
    const oneBcryptMs = [...single].sort((a, b) => a - b)[1];
    bcrypt.reset();

    const known = await parallelWrongLogins(user.email, '203.0.113.7', 50);
    const knownRuns = bcrypt.count();
    console.log(
      `login burst: 50 parallel, ${knownRuns} bcrypt runs, ${known.limited} x 429, ${known.unauthorized} x 401, ` +
        `${known.ms.toFixed(0)} ms (one wrong login alone: ${oneBcryptMs.toFixed(0)} ms)`,
    );
    expect(knownRuns).toBeLessThanOrEqual(PAIR_LIMIT);
    expect({ unauthorized: known.unauthorized, limited: known.limited }).toEqual({
      unauthorized: PAIR_LIMIT,
      limited: 50 - PAIR_LIMIT,
    });
    // 50 comparisons on a 2-core machine would take >= 25 single ones; 5 take about 3.
    expect(known.ms).toBeLessThan(12 * oneBcryptMs);

    // An unknown email is counted exactly like a known one (no enumeration through the limiter).
    bcrypt.reset();
    const unknown = await parallelWrongLogins(uniqueEmail('nobody'), '203.0.113.7', 50);
    console.log(`login burst, unknown email: 50 parallel, ${bcrypt.count()} bcrypt runs, ${unknown.limited} x 429`);
    expect(bcrypt.count()).toBe(knownRuns);
    expect({ unauthorized: unknown.unauthorized, limited: unknown.limited }).toEqual({
      unauthorized: known.unauthorized,
      limited: known.limited,
    });
  });

  it("an attacker's address is refused while the owner logs in from another address", async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    const attacker = '203.0.113.66';
    const burst = await parallelWrongLogins(user.email, attacker, 12);
    expect(burst).toEqual(expect.objectContaining({ unauthorized: PAIR_LIMIT, limited: 12 - PAIR_LIMIT }));
    // Even the right password is refused at the attacker's address: it used up its guesses.
    const attackerRight = await login(user.email, user.password, attacker);
    expectErrorBody(attackerRight, 429, 'RATE_LIMITED');
    const owner = await login(user.email, user.password, '198.51.100.20');
    console.log(
      `owner lockout: attacker ${attacker} ${burst.unauthorized} x 401 then ${burst.limited + 1} x 429 ` +
        `(right password included); owner from 198.51.100.20 with the right password: ${owner.statusCode}`,
    );
    expect(owner.statusCode).toBe(200);
    expect(owner.json()).toEqual(expect.objectContaining({ token_type: 'bearer', access_token: expect.any(String) }));
  });

  it('guesses spread over many addresses are slowed down, never refused, and the owner still logs in', async () => {
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    const times: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 5; i++) {
      const started = performance.now();
      const res = await login(user.email, 'Wrong-password', `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      times.push(performance.now() - started);
      statuses.push(res.statusCode);
    }
    const started = performance.now();
    const owner = await login(user.email, user.password, '198.51.100.77');
    const ownerMs = performance.now() - started;
    const before = Math.max(...times.slice(0, ACCOUNT_LIMIT));
    const last = times[times.length - 1];
    console.log(
      `login across ${times.length} addresses: ${statuses.filter((s) => s === 429).length} x 429, ` +
        `slowest of the first ${ACCOUNT_LIMIT} ${before.toFixed(0)} ms, attempt ${times.length} ${last.toFixed(0)} ms ` +
        `(delay capped at 600 ms); owner's right password: ${owner.statusCode} in ${ownerMs.toFixed(0)} ms`,
    );
    expect(statuses).toEqual(Array(ACCOUNT_LIMIT + 5).fill(401));
    // Attempt 21 waits 200 ms, 22 400 ms, then 600 ms (the cap): lower bounds, robust to load.
    expect(times.slice(ACCOUNT_LIMIT + 2).every((ms) => ms >= 600)).toBe(true);
    expect(owner.statusCode).toBe(200);
    expect(ownerMs).toBeGreaterThanOrEqual(600);
  });

  it('an email held by more than 3 accounts needs `tenant`: 400 before any bcrypt', async () => {
    const email = uniqueEmail('many');
    const password = strongPassword();
    const domains: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password, org_name: `Many ${i} ${Date.now()}` },
      });
      if (i < 3) expect(res.statusCode).toBe(201);
      else {
        // The fourth sign-up is refused (SIGNUP_MAX_TENANTS_PER_EMAIL=3): a superadmin adds it.
        expectErrorBody(res, 409, 'EMAIL_TENANT_LIMIT');
      }
      if (res.statusCode === 201) domains.push(res.json().tenant.domain);
    }
    const root = await f.superadminSession();
    const fourth = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: root.auth,
      payload: { email, password, org_name: `Many 3 ${Date.now()}` },
    });
    expect(fourth.statusCode).toBe(201);
    domains.push(fourth.json().tenant.domain);

    const bcrypt = countBcrypt(t.app);
    bcrypt.reset();
    const res = await login(email, password, '192.0.2.200');
    const runs = bcrypt.count();
    const body = expectErrorBody(res, 400, 'TENANT_REQUIRED');
    expect(body.detail).toMatch(/pass `tenant`/);
    const scoped = await login(email, password, '192.0.2.200', domains[2]);
    console.log(
      `email in ${domains.length} tenants: login without tenant 400 TENANT_REQUIRED after ${runs} bcrypt runs; ` +
        `with tenant ${scoped.statusCode} after ${bcrypt.count() - runs} bcrypt run(s)`,
    );
    expect(runs).toBe(0);
    expect(scoped.statusCode).toBe(200);
    expect(bcrypt.count() - runs).toBe(1);
  });
});
