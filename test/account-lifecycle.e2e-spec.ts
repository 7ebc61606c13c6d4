import { Types } from 'mongoose';
import { AccountTokens } from '../src/identity/account-tokens/account-tokens.service';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, strongPassword, uniqueEmail } from './support/factories';

/**
 * Reset-password, verify-email and require_verified_email, with tokens issued by the real
 * AccountTokens service (what the forgot-password and sign-up flows mail; the mail itself is
 * covered in test/account-mail.e2e-spec.ts).
 */
describe('account tokens: reset-password, verify-email, require_verified_email', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;
  let tokens: AccountTokens;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
    tokens = t.app.get(AccountTokens);
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/auth/${url}`, payload, headers });
  const me = (access: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${access}` } });
  const login = (email: string, password: string, tenantDomain?: string) =>
    post('login', tenantDomain ? { email, password, tenant: tenantDomain } : { email, password });
  const resetToken = async (s: Session, tenantId = tenant.tenantId) =>
    (
      await tokens.issue('password_reset', {
        accountId: new Types.ObjectId(s.id),
        tenantId: new Types.ObjectId(tenantId),
      })
    ).token;
  const verifyToken = async (s: Session, tenantId = tenant.tenantId) =>
    (
      await tokens.issue('email_verification', {
        accountId: new Types.ObjectId(s.id),
        tenantId: new Types.ObjectId(tenantId),
      })
    ).token;
  const readUser = async (admin: Session, id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: admin.auth })).json();

  /** A member made by the admin, not logged in (login may be refused). */
  const unverifiedMember = async (own: TenantSession): Promise<Session> => {
    const email = uniqueEmail('unverified');
    const password = strongPassword();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: own.admin.auth,
      payload: { email, password },
    });
    expect(res.statusCode).toBe(201);
    return { email, password, id: res.json().id, tokens: null as never, auth: { authorization: '' } };
  };

  it('reset: new password works; old password, old refresh token and old access token are dead', async () => {
    const user = await f.member(tenant);
    const other = await f.login(user.email, user.password); // a second session
    const token = await resetToken(user);
    const newPassword = strongPassword();
    const res = await post('reset-password', { token, new_password: newPassword });
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    expectErrorBody(await me(user.tokens.access_token), 401, 'UNAUTHENTICATED');
    expectErrorBody(await me(other.access_token), 401, 'UNAUTHENTICATED');
    for (const refresh of [user.tokens.refresh_token, other.refresh_token]) {
      expectErrorBody(await post('refresh-token', { refresh_token: refresh }), 401, 'INVALID_REFRESH_TOKEN');
    }
    expectErrorBody(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS');
    const fresh = await login(user.email, newPassword);
    expect(fresh.statusCode).toBe(200);
    // The mailed link proved the address.
    expect(await readUser(tenant.admin, user.id)).toEqual(expect.objectContaining({ email_verified: true }));
  });

  it('a reset token works once; garbage, unknown and wrong-kind tokens are 400 INVALID_TOKEN', async () => {
    const user = await f.member(tenant);
    const token = await resetToken(user);
    expect((await post('reset-password', { token, new_password: strongPassword() })).statusCode).toBe(204);
    const again = await post('reset-password', { token, new_password: strongPassword() });
    const body = expectErrorBody(again, 400, 'INVALID_TOKEN');
    expect(body.detail).toBe('This link is invalid, used or expired: ask for a new one');
    for (const bad of ['x', 'A'.repeat(43), 'A'.repeat(512), '$where', await verifyToken(user)]) {
      expectErrorBody(
        await post('reset-password', { token: bad, new_password: strongPassword() }),
        400,
        'INVALID_TOKEN',
      );
    }
    expectErrorBody(await post('verify-email', { token: await resetToken(user) }), 400, 'INVALID_TOKEN');
  });

  it('10 parallel resets with one token: exactly one succeeds', async () => {
    const user = await f.member(tenant);
    const token = await resetToken(user);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post('reset-password', { token, new_password: strongPassword() })),
    );
    const ok = results.filter((r) => r.statusCode === 204);
    for (const r of results.filter((x) => x.statusCode !== 204)) expectErrorBody(r, 400, 'INVALID_TOKEN');
    console.log(`parallel reset: 10 requests with one token, ${ok.length} succeeded`);
    expect(ok).toHaveLength(1);
  });

  it('a newer reset token kills the older one', async () => {
    const user = await f.member(tenant);
    const older = await resetToken(user);
    const newer = await resetToken(user);
    expectErrorBody(
      await post('reset-password', { token: older, new_password: strongPassword() }),
      400,
      'INVALID_TOKEN',
    );
    expect((await post('reset-password', { token: newer, new_password: strongPassword() })).statusCode).toBe(204);
  });

  it('a weak new password is 422 and leaves the link usable', async () => {
    const user = await f.member(tenant);
    const token = await resetToken(user);
    expectErrorBody(await post('reset-password', { token, new_password: 'password' }), 422, 'WEAK_PASSWORD');
    expect((await me(user.tokens.access_token)).statusCode).toBe(200);
    expect((await post('reset-password', { token, new_password: strongPassword() })).statusCode).toBe(204);
  });

  it('a deactivated member cannot use a reset link', async () => {
    const user = await f.member(tenant);
    const token = await resetToken(user);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: tenant.admin.auth,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    expectErrorBody(await post('reset-password', { token, new_password: strongPassword() }), 400, 'INVALID_TOKEN');
  });

  it('verify-email: email_verified becomes true; the token works once', async () => {
    const user = await f.member(tenant);
    expect(await readUser(tenant.admin, user.id)).toEqual(expect.objectContaining({ email_verified: false }));
    const token = await verifyToken(user);
    const res = await post('verify-email', { token });
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    expect(await readUser(tenant.admin, user.id)).toEqual(expect.objectContaining({ email_verified: true }));
    expectErrorBody(await post('verify-email', { token }), 400, 'INVALID_TOKEN');
  });

  it('require_verified_email: unverified login 403 only after the password matched; verify, then login works', async () => {
    const own = await f.tenant();
    const setting = (value: unknown) =>
      f.superadminSession().then((root) =>
        t.app.inject({
          method: 'PATCH',
          url: `/api/v1/tenants/${own.tenantId}`,
          headers: root.auth,
          payload: { settings: { require_verified_email: value } },
        }),
      );
    expectErrorBody(await setting('yes'), 422, 'VALIDATION_FAILED');
    expect((await setting(true)).statusCode).toBe(200);
    const user = await unverifiedMember(own);
    const refused = expectErrorBody(await login(user.email, user.password), 403, 'EMAIL_NOT_VERIFIED');
    expect(refused.detail).toMatch(/verify your email/i);
    // A wrong password is not told apart from an unknown email.
    expectErrorBody(await login(user.email, 'Wrong-Password-42'), 401, 'INVALID_CREDENTIALS');
    expect((await post('verify-email', { token: await verifyToken(user, own.tenantId) })).statusCode).toBe(204);
    expect((await login(user.email, user.password)).statusCode).toBe(200);
    // Off again: an unverified member logs in.
    expect((await setting(false)).statusCode).toBe(200);
    const other = await unverifiedMember(own);
    expect((await login(other.email, other.password)).statusCode).toBe(200);
  });

  it('REQUIRE_VERIFIED_EMAIL=true is the default of tenants without the setting', async () => {
    const strict = await createTestApp({ REQUIRE_VERIFIED_EMAIL: 'true' });
    try {
      const email = uniqueEmail('strict');
      const password = strongPassword();
      const signup = await strict.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password, org_name: `Strict ${email.slice(7, 17)}` },
      });
      expect(signup.statusCode).toBe(201);
      expect(signup.json().user).toEqual(expect.objectContaining({ email, email_verified: false }));
      const res = await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      expectErrorBody(res, 403, 'EMAIL_NOT_VERIFIED');
    } finally {
      await strict.close();
    }
  });
});

describe('account tokens expire', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PASSWORD_RESET_TOKEN_TTL_SECONDS: '1', EMAIL_VERIFICATION_TOKEN_TTL_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('an expired reset or verification token is 400 INVALID_TOKEN', async () => {
    const f = new Factory(t.app);
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    const subject = { accountId: new Types.ObjectId(user.id), tenantId: new Types.ObjectId(tenant.tenantId) };
    const { token: reset } = await t.app.get(AccountTokens).issue('password_reset', subject);
    const { token: verify } = await t.app.get(AccountTokens).issue('email_verification', subject);
    await new Promise((r) => setTimeout(r, 1100));
    const post = (url: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1/auth/${url}`, payload });
    expectErrorBody(
      await post('reset-password', { token: reset, new_password: strongPassword() }),
      400,
      'INVALID_TOKEN',
    );
    expectErrorBody(await post('verify-email', { token: verify }), 400, 'INVALID_TOKEN');
    expect((await post('login', { email: user.email, password: user.password })).statusCode).toBe(200);
  });
});
