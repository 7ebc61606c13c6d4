import { randomBytes } from 'node:crypto';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import type { Cache } from 'cache-manager';
import mongoose from 'mongoose';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession } from './support/factories';

type Auth = Record<string, string>;
const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });

/**
 * A session's end ends its access tokens: logout (with a refresh token or without a body), reuse
 * detection, and a tenant suspension (also after reactivation). Two app instances share the
 * database and Redis, as in production: the end is enforced on both, at once.
 */
describe('ending a session ends its access tokens, on every instance', () => {
  let a: TestApp;
  let b: TestApp;
  let f: Factory;
  let tenant: TenantSession;

  beforeAll(async () => {
    const shared = { MASTER_DB_NAME: `m_${randomBytes(6).toString('hex')}` };
    a = await createTestApp(shared);
    b = await createTestApp(shared);
    f = new Factory(a.app);
    tenant = await f.tenant();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const me = (app: TestApp, auth: Auth) => app.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
  const refresh = (token: string) =>
    a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh-token', payload: { refresh_token: token } });
  const logout = (auth: Auth, payload?: object) =>
    a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth, ...(payload ? { payload } : {}) });

  /**
   * Both instances refuse the token (401 in the documented shape); returns ms until both did.
   * Within 1 s: the invalidation of an instance's in-process cache travels over Redis pub/sub
   * (asynchronous, milliseconds), to A's own cache as well as B's: both are polled.
   */
  async function expectDeadEverywhere(auth: Auth, since: number): Promise<number> {
    expectErrorBody(await meWithin1s(a, auth, 401), 401, 'UNAUTHENTICATED');
    expectErrorBody(await meWithin1s(b, auth, 401), 401, 'UNAUTHENTICATED');
    return Date.now() - since;
  }

  /** GET /auth/me until it answers `status`, for at most 1 s; the last answer. */
  async function meWithin1s(app: TestApp, auth: Auth, status: number) {
    let res = await me(app, auth);
    const deadline = Date.now() + 1000;
    while (res.statusCode !== status && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
      res = await me(app, auth);
    }
    return res;
  }

  async function expectAliveEverywhere(auth: Auth, email: string): Promise<void> {
    for (const app of [a, b]) {
      const res = await meWithin1s(app, auth, 200);
      expect({ status: res.statusCode, email: res.json().email }).toEqual({ status: 200, email });
    }
  }

  it("logout with a refresh token: that session's access token is refused on both instances within 1 s", async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    // Both instances have checked (and cached) the token as valid before the logout.
    await expectAliveEverywhere(user.auth, user.email);
    const started = Date.now();
    const res = await logout(user.auth, { refresh_token: user.tokens.refresh_token });
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    const ms = await expectDeadEverywhere(user.auth, started);
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // Only that session: the same user's other session lives on.
    await expectAliveEverywhere(bearer(other.access_token), user.email);
    console.log(`logout (refresh token): access token refused on instance A and B ${ms} ms after the logout began`);
  });

  it('logout without a body, or with {}, ends the session of the bearer token', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    await expectAliveEverywhere(user.auth, user.email);
    const res = await logout(user.auth);
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    await expectDeadEverywhere(user.auth, Date.now());
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    await expectAliveEverywhere(bearer(other.access_token), user.email);

    const third = await f.login(user.email, user.password);
    const empty = await logout(bearer(third.access_token), {});
    expect({ status: empty.statusCode, body: empty.body }).toEqual({ status: 204, body: '' });
    await expectDeadEverywhere(bearer(third.access_token), Date.now());
    expectErrorBody(await refresh(third.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // A second logout with the dead token is refused by the guard: the session is already over.
    expectErrorBody(await logout(bearer(third.access_token)), 401, 'UNAUTHENTICATED');
    // The other session still refreshes.
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('logout bodies other than {} or { refresh_token } are 422 in the documented shape', async () => {
    const user = await f.member(tenant);
    for (const payload of [{ refresh_token: 42 }, { refresh_token: '' }, { refresh_token: null }, { other: 1 }]) {
      const body = expectErrorBody(await logout(user.auth, payload), 422, 'VALIDATION_FAILED');
      expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]));
    }
    const array = await a.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...user.auth, 'content-type': 'application/json' },
      payload: '[]',
    });
    expectErrorBody(array, 422, 'VALIDATION_FAILED');
    // None of them ended anything.
    await expectAliveEverywhere(user.auth, user.email);
  });

  it('reuse detection: every access token of the revoked family is refused, on both instances', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password);
    const rotated = (await refresh(user.tokens.refresh_token)).json();
    await expectAliveEverywhere(bearer(rotated.access_token), user.email);
    const started = Date.now();
    // A replay of the rotated token (a thief, or a lost race): the family is revoked.
    expectErrorBody(await refresh(user.tokens.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    const ms = await expectDeadEverywhere(bearer(rotated.access_token), started);
    await expectDeadEverywhere(user.auth, started);
    expectErrorBody(await refresh(rotated.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    await expectAliveEverywhere(bearer(other.access_token), user.email);
    console.log(`reuse detection: the family's 2 access tokens refused on A and B ${ms} ms after the replay`);
  });

  it('a revocation survives a cache flush (it is recorded in the database, not only in Redis)', async () => {
    const user = await f.member(tenant);
    await expectAliveEverywhere(user.auth, user.email);
    expect((await logout(user.auth)).statusCode).toBe(204);
    // What a Redis recovery does (PlatformCache clears everything) or an eviction.
    await a.app.get<Cache>(CACHE_MANAGER).clear();
    await expectDeadEverywhere(user.auth, Date.now());
  });

  it('access tokens issued before a suspension stay dead after reactivation; new logins work', async () => {
    const root = await f.superadminSession();
    const own = await f.tenant();
    const user = await f.member(own);
    await expectAliveEverywhere(user.auth, user.email);
    const patch = (status: string) =>
      a.app.inject({
        method: 'PATCH',
        url: `/api/v1/tenants/${own.tenantId}`,
        headers: root.auth,
        payload: { status },
      });
    expect((await patch('suspended')).json().status).toBe('suspended');
    expectErrorBody(await meWithin1s(b, user.auth, 403), 403, 'TENANT_SUSPENDED');
    expect((await patch('active')).json().status).toBe('active');
    const reactivated = Date.now();
    await expectDeadEverywhere(user.auth, Date.now());
    await expectDeadEverywhere(own.admin.auth, Date.now());
    // At once: a login right after the reactivation (same second as the suspension) is accepted.
    const again = await f.login(user.email, user.password);
    await expectAliveEverywhere(bearer(again.access_token), user.email);
    const newLoginMs = Date.now() - reactivated;
    // Another tenant, never suspended, was not touched.
    await expectAliveEverywhere(tenant.admin.auth, tenant.admin.email);
    console.log(
      `suspension: 2 tokens issued before it refused on A and B after reactivation; a login ${newLoginMs} ms ` +
        'after the reactivation accepted on both',
    );
  });

  it('the hot path reads no database once cached: 100 authenticated requests, 0 queries', async () => {
    const user = await f.member(tenant);
    const queries: string[] = [];
    await expectAliveEverywhere(user.auth, user.email); // warm-up fills the cache of both
    mongoose.set('debug', (collection: string, method: string) => {
      queries.push(`${collection}.${method}`);
    });
    try {
      for (let i = 0; i < 50; i++) {
        // /auth/me itself serves a cached profile; the token check is what is measured.
        expect((await me(a, user.auth)).statusCode).toBe(200);
        expect((await me(b, user.auth)).statusCode).toBe(200);
      }
    } finally {
      mongoose.set('debug', false);
    }
    console.log(
      `hot path: 100 authenticated requests on 2 instances after warm-up, ${queries.length} database queries ` +
        `(token check = 3 cache GETs issued together: account state, tenant state, session revoked)`,
    );
    expect(queries).toEqual([]);
  });
});
