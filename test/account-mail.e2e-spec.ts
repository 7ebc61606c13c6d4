import { setTimeout as sleep } from 'node:timers/promises';
import type { Response as InjectResponse } from 'light-my-request';
import { type ReceivedMail, type SmtpSink, linkToken, startSmtpSink } from './support/smtp-sink';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, strongPassword, uniqueEmail } from './support/factories';

/** The sender polls often and retries fast: mails arrive within a second. */
const FAST_MAIL = {
  MAIL_POLL_INTERVAL_MS: '50',
  MAIL_RETRY_BASE_MS: '100',
  MAIL_RETRY_MAX_MS: '400',
  MAIL_SEND_TIMEOUT_MS: '1000',
  MAIL_LEASE_MS: '5000',
  PUBLIC_APP_URL: 'https://app.example.test',
};

const to = (address: string) => (m: ReceivedMail) => m.to.includes(address);

/**
 * Forgot-password, sign-up verification and resend-verification end to end: the app queues the
 * mail, its sender delivers it over SMTP to a real SMTP server (test/support/smtp-sink.ts), and
 * the test follows the link the mail carries.
 */
describe('account lifecycle by mail (real SMTP)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ ...FAST_MAIL, SMTP_URL: sink.url, RATE_LIMIT_RESEND_VERIFICATION: '3/3600' });
    f = new Factory(t.app);
    tenant = await f.tenant();
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/auth/${url}`, headers, ...(payload ? { payload } : {}) });
  const me = (access: string) =>
    t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${access}` } });
  const login = (email: string, password: string, domain?: string) =>
    post('login', domain ? { email, password, tenant: domain } : { email, password });
  const forgot = (email: string, domain?: string) =>
    post('forgot-password', domain ? { email, tenant: domain } : { email });
  const expectAccepted = (res: InjectResponse) => {
    expect({ status: res.statusCode, body: res.json() }).toEqual({
      status: 202,
      body: { message: 'If an account matches this email, a password reset link is on its way' },
    });
  };
  const mailsTo = async (address: string, count: number) => sink.waitFor(count, 15_000, to(address));

  it('forgot -> mail -> reset: old password, old refresh token and old access token are dead', async () => {
    const user = await f.member(tenant);
    expectAccepted(await forgot(user.email));
    const [mail] = await mailsTo(user.email, 1);
    const tenantName = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.auth })).json().tenant
      .name;
    expect(mail.subject).toBe(`Reset your ${tenantName} password`);
    expect(mail.text).toMatch(/https:\/\/app\.example\.test\/reset-password\?token=[A-Za-z0-9_-]{43}\s/);
    const token = linkToken(mail, '/reset-password');
    const newPassword = strongPassword();
    const res = await post('reset-password', { token, new_password: newPassword });
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    expectErrorBody(await login(user.email, user.password), 401, 'INVALID_CREDENTIALS');
    expectErrorBody(
      await post('refresh-token', { refresh_token: user.tokens.refresh_token }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectErrorBody(await me(user.tokens.access_token), 401, 'UNAUTHENTICATED');
    expect((await login(user.email, newPassword)).statusCode).toBe(200);
    // The link works once.
    expectErrorBody(await post('reset-password', { token, new_password: strongPassword() }), 400, 'INVALID_TOKEN');
  });

  it('a superadmin resets its password by mail too', async () => {
    const root = await f.superadminSession();
    expectAccepted(await forgot(root.email));
    const [mail] = await mailsTo(root.email, 1);
    expect(mail.subject).toBe('Reset your administrator password');
    const password = strongPassword();
    const res = await post('reset-password', { token: linkToken(mail, '/reset-password'), new_password: password });
    expect(res.statusCode).toBe(204);
    expectErrorBody(await me(root.tokens.access_token), 401, 'UNAUTHENTICATED');
    const again = await login(root.email, password);
    expect(again.statusCode).toBe(200);
    // The factory's cached superadmin session is dead now: later tests get a fresh one.
    Object.assign(root, {
      password,
      tokens: again.json(),
      auth: { authorization: `Bearer ${again.json().access_token}` },
    });
  });

  it('a newer forgot-password mail kills the older link', async () => {
    const user = await f.member(tenant);
    expectAccepted(await forgot(user.email));
    const [first] = await mailsTo(user.email, 1);
    expectAccepted(await forgot(user.email));
    const second = (await mailsTo(user.email, 2))[1];
    const older = linkToken(first, '/reset-password');
    const newer = linkToken(second, '/reset-password');
    expect(newer).not.toBe(older);
    expectErrorBody(
      await post('reset-password', { token: older, new_password: strongPassword() }),
      400,
      'INVALID_TOKEN',
    );
    expect((await post('reset-password', { token: newer, new_password: strongPassword() })).statusCode).toBe(204);
  });

  it('an email in two tenants gets a link per account; `tenant` narrows it to one', async () => {
    const other = await f.tenant();
    const email = uniqueEmail('twice');
    for (const tn of [tenant, other]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: tn.admin.auth,
        payload: { email, password: strongPassword() },
      });
      expect(res.statusCode).toBe(201);
    }
    expectAccepted(await forgot(email));
    const both = await mailsTo(email, 2);
    expect(new Set(both.map((m) => linkToken(m, '/reset-password'))).size).toBe(2);
    expectAccepted(await forgot(email, other.domain));
    const third = (await mailsTo(email, 3))[2];
    const password = strongPassword();
    expect(
      (await post('reset-password', { token: linkToken(third, '/reset-password'), new_password: password })).statusCode,
    ).toBe(204);
    // Only that tenant's account changed.
    expect((await login(email, password, other.domain)).statusCode).toBe(200);
    expectErrorBody(await login(email, password, tenant.domain), 401, 'INVALID_CREDENTIALS');
    await sleep(300);
    expect(sink.messages.filter(to(email))).toHaveLength(3);
  });

  it('an unknown email: the same 202 and body, and no mail', async () => {
    const nobody = uniqueEmail('nobody');
    expectAccepted(await forgot(nobody));
    const user = await f.member(tenant);
    expectAccepted(await forgot(user.email)); // a known one, queued after: once it arrived, the other would have too
    await mailsTo(user.email, 1);
    await sleep(200);
    expect(sink.messages.filter(to(nobody))).toEqual([]);
  });

  it('sign-up mails a verification link; require_verified_email: 403 until it is used, then login works', async () => {
    const email = uniqueEmail('signup');
    const password = strongPassword();
    const signup = await post('register', { email, password, org_name: `Verify ${email.slice(7, 17)}` });
    expect(signup.statusCode).toBe(201);
    expect(signup.json().user.email_verified).toBe(false);
    const root = await f.superadminSession();
    const on = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tenants/${signup.json().tenant.id}`,
      headers: root.auth,
      payload: { settings: { require_verified_email: true } },
    });
    expect(on.statusCode).toBe(200);
    expectErrorBody(await login(email, password), 403, 'EMAIL_NOT_VERIFIED');
    expectErrorBody(await login(email, 'Wrong-Password-42'), 401, 'INVALID_CREDENTIALS');
    const [mail] = await mailsTo(email, 1);
    expect(mail.subject).toBe(`Confirm your email for ${signup.json().tenant.name}`);
    const token = linkToken(mail, '/verify-email');
    const res = await post('verify-email', { token });
    expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: '' });
    const ok = await login(email, password);
    expect(ok.statusCode).toBe(200);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/users/${signup.json().user.id}`,
      headers: { authorization: `Bearer ${ok.json().access_token}` },
    });
    expect(read.json()).toEqual(expect.objectContaining({ email, email_verified: true }));
    expectErrorBody(await post('verify-email', { token }), 400, 'INVALID_TOKEN');
  });

  it('resend-verification: a new link (the old one dies), nothing once verified, 429 past the limit', async () => {
    const user: Session = await f.member(tenant);
    const resend = () => post('resend-verification', undefined, user.auth);
    const accepted = { message: 'If your address is not verified yet, a verification link is on its way' };
    for (let i = 0; i < 2; i++) {
      const res = await resend();
      expect({ status: res.statusCode, body: res.json() }).toEqual({ status: 202, body: accepted });
    }
    const [first, second] = await mailsTo(user.email, 2);
    expectErrorBody(await post('verify-email', { token: linkToken(first, '/verify-email') }), 400, 'INVALID_TOKEN');
    expect((await post('verify-email', { token: linkToken(second, '/verify-email') })).statusCode).toBe(204);
    // Verified: the same 202, no mail.
    expect((await resend()).statusCode).toBe(202);
    const limited = await resend();
    expectErrorBody(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await sleep(300);
    expect(sink.messages.filter(to(user.email))).toHaveLength(2);
  });
});

describe('forgot-password limits', () => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      ...FAST_MAIL,
      SMTP_URL: sink.url,
      RATE_LIMIT_FORGOT_PASSWORD_IP: '4/600',
      RATE_LIMIT_FORGOT_PASSWORD_EMAIL: '2/3600',
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const forgot = (email: string, ip: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', remoteAddress: ip, payload: { email } });

  it('per email: past the limit still 202, but no more mails; per address: 429', async () => {
    const f = new Factory(t.app);
    const tenant = await f.tenant();
    const user = await f.member(tenant);
    // Three addresses, three requests for one email: two mails, the third silently dropped.
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect((await forgot(user.email, ip)).statusCode).toBe(202);
    }
    await sink.waitFor(2, 15_000, to(user.email));
    await sleep(500);
    expect(sink.messages.filter(to(user.email))).toHaveLength(2);
    // One address, five requests for five emails: the fifth is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await forgot(uniqueEmail('spray'), '198.51.100.9')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
    expectErrorBody(await forgot(uniqueEmail('spray'), '198.51.100.9'), 429, 'RATE_LIMITED');
  });
});

describe('MAIL_DISABLED', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ MAIL_DISABLED: 'true' });
  });
  afterAll(() => t.close());

  it('forgot-password and resend-verification answer 503 MAIL_DISABLED; sign-up still works', async () => {
    const f = new Factory(t.app);
    const tenant = await f.tenant();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/forgot-password',
      payload: { email: tenant.admin.email },
    });
    expectErrorBody(res, 503, 'MAIL_DISABLED');
    const resend = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/resend-verification',
      headers: tenant.admin.auth,
    });
    expectErrorBody(resend, 503, 'MAIL_DISABLED');
  });
});
