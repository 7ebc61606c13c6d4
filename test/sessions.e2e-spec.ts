import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession, strongPassword, uniqueEmail } from './support/factories';

/** Refresh-token rotation, reuse detection, and every way a session ends. */
describe('sessions and tokens', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
  });
  afterAll(() => t.close());

  const refresh = (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh-token', payload: { refresh_token: token } });
  const me = (access: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${access}` } });

  it('rotates: each refresh token works once and returns a new pair', async () => {
    const user = await f.member(tenant);
    const first = await refresh(user.tokens.refresh_token);
    expect(first.statusCode).toBe(200);
    const pair = first.json();
    expect(pair.refresh_token).not.toBe(user.tokens.refresh_token);
    expect((await me(pair.access_token)).json().email).toBe(user.email);
    const second = await refresh(pair.refresh_token);
    expect(second.statusCode).toBe(200);
  });

  it('detects reuse: replaying a rotated token kills the whole family, newest token included', async () => {
    const user = await f.member(tenant);
    const newest = (await refresh(user.tokens.refresh_token)).json();
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectErrorBody(await refresh(newest.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // Another session of the same user is untouched.
    const other = await f.login(user.email, user.password);
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('20 parallel refreshes of one token: exactly one success, then the whole family is revoked', async () => {
    const user = await f.member(tenant);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(user.tokens.refresh_token)));
    const winners = results.filter((r) => r.statusCode === 200);
    for (const r of results.filter((x) => x.statusCode !== 200)) expectErrorBody(r, 401, 'INVALID_REFRESH_TOKEN');
    console.log(`parallel refresh: 20 requests, ${winners.length} succeeded`);
    // Exactly one: zero would mean a legitimate client racing itself is logged out for nothing.
    expect(winners).toHaveLength(1);
    const pair = winners[0].json();
    expect(pair).toEqual(
      expect.objectContaining({ access_token: expect.any(String), refresh_token: expect.any(String) }),
    );
    expect(pair.refresh_token).not.toBe(user.tokens.refresh_token);
    // The losers replayed a rotated token: the family is revoked, so even the winner's token is dead.
    expectErrorBody(await refresh(pair.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // Only that family: a new login of the same user refreshes fine.
    const other = await f.login(user.email, user.password);
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('garbage and unknown refresh tokens are 401; an access token is not a refresh token', async () => {
    const user = await f.member(tenant);
    expectErrorBody(await refresh('not-a-token'), 401, 'INVALID_REFRESH_TOKEN');
    expectErrorBody(await refresh(user.tokens.access_token), 401, 'INVALID_REFRESH_TOKEN');
  });

  it('logout kills that session only', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: user.auth,
      payload: { refresh_token: user.tokens.refresh_token },
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('logout-all kills every session and every access token of the caller at once', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    const bystander = await f.member(tenant);
    expect((await me(other.access_token)).statusCode).toBe(200); // cached state must not outlive the change
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: user.auth });
    expect(res.statusCode).toBe(204);
    expectErrorBody(await me(user.tokens.access_token), 401, 'UNAUTHENTICATED');
    expectErrorBody(await me(other.access_token), 401, 'UNAUTHENTICATED');
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectErrorBody(await refresh(other.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expect((await me(bystander.tokens.access_token)).statusCode).toBe(200);
    // A new login works.
    expect((await me((await f.login(user.email, user.password)).access_token)).statusCode).toBe(200);
  });

  it('change-password: wrong current is 400; success revokes the other sessions, keeps this one', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers: user.auth,
      payload: { current_password: 'not-my-password', new_password: strongPassword() },
    });
    expectErrorBody(wrong, 400, 'CURRENT_PASSWORD_INCORRECT');
    const next = strongPassword();
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers: user.auth,
      payload: { current_password: user.password, new_password: next },
    });
    expect(ok.statusCode).toBe(204);
    expectErrorBody(await refresh(other.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectErrorBody(await me(other.access_token), 401, 'UNAUTHENTICATED');
    const continued = await refresh(user.tokens.refresh_token);
    expect(continued.statusCode).toBe(200);
    expect((await me(continued.json().access_token)).statusCode).toBe(200);
    const oldLogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expectErrorBody(oldLogin, 401, 'INVALID_CREDENTIALS');
    expect((await f.login(user.email, next)).access_token).toEqual(expect.any(String));
  });

  it('passwords past 72 bytes are not truncated', async () => {
    const prefix = 'ü'.repeat(40); // 80 bytes of UTF-8 before the distinguishing tail
    const email = uniqueEmail('long');
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: tenant.admin.auth,
      payload: { email, password: `${prefix}-tail-one` },
    });
    expect(create.statusCode).toBe(201);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: `${prefix}-tail-two` },
    });
    expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    expect((await f.login(email, `${prefix}-tail-one`)).token_type).toBe('bearer');
  });

  it('unknown email and wrong password look the same', async () => {
    const user = await f.member(tenant);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: uniqueEmail(), password: 'whatever-pass-1' },
    });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'whatever-pass-1' },
    });
    const a = expectErrorBody(unknown, 401, 'INVALID_CREDENTIALS');
    const b = expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    expect({ ...a, request_id: '' }).toEqual({ ...b, request_id: '' });
  });

  it('the same email in two tenants: TENANT_REQUIRED when ambiguous, login with `tenant` works', async () => {
    const other = await f.tenant();
    const email = uniqueEmail('twice');
    const password = strongPassword();
    for (const tn of [tenant, other]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: tn.admin.auth,
        payload: { email, password },
      });
      expect(res.statusCode).toBe(201);
    }
    const ambiguous = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expectErrorBody(ambiguous, 400, 'TENANT_REQUIRED');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'nope-nope-nope' },
    });
    expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    const pair = await f.login(email, password, other.domain);
    expect((await me(pair.access_token)).json().tenant.id).toBe(other.tenantId);
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        username: email,
        password,
        grant_type: 'password',
        tenant: tenant.domain,
      }).toString(),
    });
    expect(form.statusCode).toBe(200);
    expect((await me(form.json().access_token)).json().tenant.id).toBe(tenant.tenantId);
  });
});
