import type { Response as InjectResponse } from 'light-my-request';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, type TokenPair } from './support/factories';

/** GET /auth/sessions and DELETE /auth/sessions/{session_id}: the caller's own sessions, and only those. */
describe('own sessions: list and end', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
  });
  afterAll(() => t.close());

  const bearer = (access: string) => ({ authorization: `Bearer ${access}` });
  const loginAs = async (s: Session, userAgent: string, ip: string): Promise<TokenPair> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': userAgent },
      remoteAddress: ip,
      payload: { email: s.email, password: s.password },
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const list = (access: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bearer(access) });
  const end = (access: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${id}`, headers: bearer(access) });
  const refresh = (token: string, userAgent = 'refresher/1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh-token',
      headers: { 'user-agent': userAgent },
      payload: { refresh_token: token },
    });
  const me = (access: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(access) });
  const sidOf = (access: string): string =>
    JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString('utf8')).sid;
  const sessionsOf = (res: InjectResponse) => {
    expect({ status: res.statusCode, body: res.statusCode === 200 ? '' : res.body }).toEqual({ status: 200, body: '' });
    return res.json<Array<Record<string, unknown>>>();
  };

  it('lists the current session and another one, with user agent, address and times', async () => {
    const user = await f.member(tenant);
    const phone = await loginAs(user, 'PhoneApp/2.1 (Android 15)', '198.51.100.7');
    const laptop = await loginAs(user, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', '203.0.113.9');
    const items = sessionsOf(await list(laptop.access_token));
    const mine = items.find((s) => s.id === sidOf(laptop.access_token));
    const other = items.find((s) => s.id === sidOf(phone.access_token));
    expect(mine).toEqual({
      id: sidOf(laptop.access_token),
      created_at: expect.any(String),
      last_used_at: expect.any(String),
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      ip: '203.0.113.9',
      current: true,
    });
    expect(other).toEqual(
      expect.objectContaining({ user_agent: 'PhoneApp/2.1 (Android 15)', ip: '198.51.100.7', current: false }),
    );
    // The factory's own login is the third live session; no other account's session is listed.
    expect(items.map((s) => s.id).sort()).toEqual(
      [sidOf(user.tokens.access_token), sidOf(phone.access_token), sidOf(laptop.access_token)].sort(),
    );
    expect(JSON.stringify(items)).not.toMatch(/token_hash|parent|family_id|user_id/);
  });

  it('a refresh moves last_used_at and the user agent, keeps created_at and the id', async () => {
    const user = await f.member(tenant);
    const first = await loginAs(user, 'Old/1', '192.0.2.1');
    const before = sessionsOf(await list(first.access_token)).find((s) => s.current)!;
    await new Promise((r) => setTimeout(r, 20));
    const res = await refresh(first.refresh_token, 'New/2');
    expect(res.statusCode).toBe(200);
    const pair: TokenPair = res.json();
    const items = sessionsOf(await list(pair.access_token)).filter((s) => s.id === before.id);
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual(
      expect.objectContaining({ created_at: before.created_at, user_agent: 'New/2', current: true }),
    );
    expect(Date.parse(items[0].last_used_at as string)).toBeGreaterThan(Date.parse(before.last_used_at as string));
  });

  it('ending another session: its refresh token dies, its access token is refused within seconds; mine lives', async () => {
    const user = await f.member(tenant);
    const other = await loginAs(user, 'Other/1', '192.0.2.2');
    const mine = await loginAs(user, 'Mine/1', '192.0.2.3');
    expect((await me(other.access_token)).statusCode).toBe(200);
    const res = await end(mine.access_token, sidOf(other.access_token));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const started = performance.now();
    let refusedAfterMs = -1;
    while (performance.now() - started < 2000) {
      const r = await me(other.access_token);
      if (r.statusCode === 401) {
        expectErrorBody(r, 401, 'UNAUTHENTICATED');
        refusedAfterMs = performance.now() - started;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    console.log(`session end: ended session's access token refused after ${refusedAfterMs.toFixed(0)} ms`);
    expect(refusedAfterMs).toBeGreaterThanOrEqual(0);
    expectErrorBody(await refresh(other.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    // Gone from the list; the caller's own session untouched.
    const ids = sessionsOf(await list(mine.access_token)).map((s) => s.id);
    expect(ids).not.toContain(sidOf(other.access_token));
    expect((await me(mine.access_token)).statusCode).toBe(200);
    expect((await refresh(mine.refresh_token)).statusCode).toBe(200);
    // Ending it again: it is no longer live.
    expectErrorBody(await end(mine.access_token, sidOf(other.access_token)), 404, 'SESSION_NOT_FOUND');
  });

  it("another account's session id (same tenant, other tenant, superadmin) is 404 and stays alive; malformed 404", async () => {
    const caller = await f.member(tenant);
    const colleague = await f.member(tenant);
    const elsewhere = await f.tenant();
    const root = await f.superadminSession();
    for (const victim of [colleague, elsewhere.admin, root]) {
      const res = await end(caller.tokens.access_token, sidOf(victim.tokens.access_token));
      const body = expectErrorBody(res, 404, 'SESSION_NOT_FOUND');
      expect(body.detail).toBe('Session not found');
      expect((await me(victim.tokens.access_token)).statusCode).toBe(200);
    }
    for (const bad of ['nope', '6650c5d2f1a2b3c4d5e6f7a', 'zz50c5d2f1a2b3c4d5e6f7a8', '%24where']) {
      expectErrorBody(await end(caller.tokens.access_token, bad), 404, 'SESSION_NOT_FOUND');
    }
    // The others' sessions are not in the caller's list either.
    const ids = sessionsOf(await list(caller.tokens.access_token)).map((s) => s.id);
    expect(ids).toEqual([sidOf(caller.tokens.access_token)]);
    // And their refresh tokens still rotate.
    expect((await refresh(colleague.tokens.refresh_token)).statusCode).toBe(200);
    expect((await refresh(elsewhere.admin.tokens.refresh_token)).statusCode).toBe(200);
  });

  it('a superadmin lists and ends its own sessions', async () => {
    const root = await f.superadminSession();
    const second = await loginAs(root, 'RootCli/1', '192.0.2.4');
    const items = sessionsOf(await list(second.access_token));
    expect(items.find((s) => s.current)).toEqual(expect.objectContaining({ user_agent: 'RootCli/1', ip: '192.0.2.4' }));
    const ended = await end(root.tokens.access_token, sidOf(second.access_token));
    expect(ended.statusCode).toBe(204);
    expectErrorBody(await me(second.access_token), 401, 'UNAUTHENTICATED');
  });
});

// Its own app, after the other one closed (two apps of one process open at once share more than
// they should: see the report).
describe('own sessions behind a trusted proxy', () => {
  let proxied: TestApp;

  beforeAll(async () => {
    proxied = await createTestApp({ TRUST_PROXY: '10.0.0.1' });
  });
  afterAll(() => proxied.close());

  const bearer = (access: string) => ({ authorization: `Bearer ${access}` });
  const sidOf = (access: string): string =>
    JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString('utf8')).sid;
  const sessionsOf = (res: InjectResponse) => {
    expect({ status: res.statusCode, body: res.statusCode === 200 ? '' : res.body }).toEqual({ status: 200, body: '' });
    return res.json<Array<Record<string, unknown>>>();
  };

  it('behind a trusted proxy, the address is the client of X-Forwarded-For', async () => {
    {
      const pf = new Factory(proxied.app);
      const admin = (await pf.tenant()).admin;
      const viaProxy = (remoteAddress: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress,
          headers: { 'x-forwarded-for': '203.0.113.77', 'user-agent': 'Proxied/1' },
          payload: { email: admin.email, password: admin.password },
        });
      const trusted: TokenPair = (await viaProxy('10.0.0.1')).json();
      const untrusted: TokenPair = (await viaProxy('192.0.2.50')).json();
      const res = await proxied.app.inject({
        method: 'GET',
        url: '/api/v1/auth/sessions',
        headers: bearer(trusted.access_token),
      });
      const items = sessionsOf(res);
      expect(items.find((s) => s.id === sidOf(trusted.access_token))?.ip).toBe('203.0.113.77');
      // From an address that is not the trusted proxy, the header is ignored.
      expect(items.find((s) => s.id === sidOf(untrusted.access_token))?.ip).toBe('192.0.2.50');
    }
  });
});
