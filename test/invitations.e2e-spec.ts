import { setTimeout as sleep } from 'node:timers/promises';
import type { Response as InjectResponse } from 'light-my-request';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession, strongPassword, uniqueEmail } from './support/factories';
import { type ReceivedMail, type SmtpSink, linkToken, startSmtpSink } from './support/smtp-sink';
import { createTestApp, type TestApp } from './support/test-app';

export const FAST_MAIL = {
  MAIL_POLL_INTERVAL_MS: '50',
  MAIL_RETRY_BASE_MS: '100',
  MAIL_RETRY_MAX_MS: '500',
  MAIL_SEND_TIMEOUT_MS: '1000',
  MAIL_LEASE_MS: '5000',
  PUBLIC_APP_URL: 'https://app.example.test',
};

// Promise: an admin invites by email; the invitee gets a mail over SMTP whose link works once,
// dies when replaced, revoked or expired, and only in the inviting tenant.
describe('invitations', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let f: Factory;
  let a: TenantSession;
  let b: TenantSession;
  const logLines: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ ...FAST_MAIL, SMTP_URL: sink.url, LOG_LEVEL: 'trace' }, { logLines });
    f = new Factory(t.app);
    [a, b] = await Promise.all([f.tenant(), f.tenant()]);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const invite = (tenant: TenantSession, email: string, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: { ...tenant.admin.auth, ...extra },
      payload: { email, role: 'user', full_name: 'Invited Person' },
    });
  const mailTo = async (email: string, count = 1): Promise<ReceivedMail[]> =>
    sink.waitFor(count, 15_000, (m) => m.to.includes(email));
  const accept = (token: string, password = strongPassword()) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, password } });
  const list = (tenant: TenantSession, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/v1/invitations${query}`, headers: tenant.admin.auth });
  const statusOf = async (tenant: TenantSession, id: string): Promise<string | undefined> =>
    (
      list(tenant, '?limit=100').then((r: InjectResponse) => r.json().items) as Promise<
        Array<{ id: string; status: string }>
      >
    ).then((items) => items.find((i) => i.id === id)?.status);

  it('invite -> mail received over SMTP -> accept with the link token -> log in with the new password', async () => {
    const email = uniqueEmail('invitee');
    const res = await invite(a, email);
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email,
      role: 'user',
      status: 'pending',
      invited_by: a.admin.id,
      expires_at: expect.any(String),
      created_at: expect.any(String),
    });
    expect(Date.parse(body.expires_at) - Date.parse(body.created_at)).toBeGreaterThan(7 * 86400_000 - 5000);
    const [mail] = await mailTo(email);
    expect(mail.subject).toMatch(/^You are invited to join Org [0-9a-f]{10}$/);
    expect(mail.text).toContain('Tenant Admin invites you to join Org');
    expect(mail.html).toContain('href="https://app.example.test/accept-invitation?token=');
    const token = linkToken(mail, '/accept-invitation');
    expect(token).toMatch(new RegExp(`^${body.id}\\.[A-Za-z0-9_-]{43}$`));

    const password = strongPassword();
    const accepted = await accept(token, password);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'bearer',
      expires_in: expect.any(Number),
    });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${(await f.login(email, password)).access_token}` },
    });
    expect(me.json()).toEqual(
      expect.objectContaining({
        email,
        full_name: 'Invited Person',
        role: 'user',
        tenant: expect.objectContaining({ id: a.tenantId }),
      }),
    );
    expect(await statusOf(a, body.id)).toBe('accepted');
    // Single use.
    expectErrorBody(await accept(token), 400, 'INVALID_TOKEN');
    // Now a member: inviting again is a conflict.
    expectErrorBody(await invite(a, email), 409, 'USER_EXISTS');
    // The link's secret never reached a log line (every request above was logged at trace level).
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.filter((l) => l.includes(token.split('.')[1]))).toEqual([]);
  });

  it('re-inviting a pending email replaces the invitation: the old link dies, the new one works', async () => {
    const email = uniqueEmail('reinvite');
    const first = (await invite(a, email)).json();
    const oldToken = linkToken((await mailTo(email, 1))[0], '/accept-invitation');
    const second = (await invite(a, email)).json();
    expect(second.id).not.toBe(first.id);
    const mails = await mailTo(email, 2);
    const newToken = linkToken(mails[1], '/accept-invitation');
    expect(await statusOf(a, first.id)).toBe('revoked');
    expectErrorBody(await accept(oldToken), 400, 'INVALID_TOKEN');
    expect((await accept(newToken)).statusCode).toBe(200);
  });

  it('a revoked invitation link gives 400 INVALID_TOKEN; a tampered token too', async () => {
    const email = uniqueEmail('revoked');
    const { id } = (await invite(a, email)).json();
    const token = linkToken((await mailTo(email))[0], '/accept-invitation');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expectErrorBody(await accept(tampered), 400, 'INVALID_TOKEN');
    expectErrorBody(await accept('not-a-token'), 400, 'INVALID_TOKEN');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/invitations/${id}`, headers: a.admin.auth });
    expect({ status: del.statusCode, body: del.body }).toEqual({ status: 204, body: '' });
    expect(await statusOf(a, id)).toBe('revoked');
    expectErrorBody(await accept(token), 400, 'INVALID_TOKEN');
  });

  it("tenant B's admin can neither see nor revoke tenant A's invitation (404), which stays usable", async () => {
    const email = uniqueEmail('isolated');
    const { id } = (await invite(a, email)).json();
    const token = linkToken((await mailTo(email))[0], '/accept-invitation');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/invitations/${id}`, headers: b.admin.auth });
    expectErrorBody(del, 404, 'INVITATION_NOT_FOUND');
    expect((await list(b, '?limit=100')).json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    expect(await statusOf(a, id)).toBe('pending');
    const accepted = await accept(token);
    expect(accepted.statusCode).toBe(200);
    // The member landed in A, not B.
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${accepted.json().access_token}` },
    });
    expect(me.json().tenant.id).toBe(a.tenantId);
  });

  it('superadmin path: /tenants/{tenant_id}/invitations creates, lists and revokes in that tenant', async () => {
    const root = await f.superadminSession();
    const email = uniqueEmail('bysuper');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${b.tenantId}/invitations`,
      headers: root.auth,
      payload: { email, role: 'tenant_admin' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual(
      expect.objectContaining({ email, role: 'tenant_admin', status: 'pending', invited_by: root.id }),
    );
    const [mail] = await mailTo(email);
    expect(mail.text).toContain('The platform administrator invites you to join');
    const listed = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tenants/${b.tenantId}/invitations?status=pending`,
      headers: root.auth,
    });
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(res.json().id);
    const accepted = await accept(linkToken(mail, '/accept-invitation'));
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${accepted.json().access_token}` },
    });
    expect(me.json()).toEqual(
      expect.objectContaining({ email, role: 'tenant_admin', tenant: expect.objectContaining({ id: b.tenantId }) }),
    );
    // A's invitation id is not found through B's path.
    const other = (await invite(a, uniqueEmail('other'))).json();
    const cross = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${b.tenantId}/invitations/${other.id}`,
      headers: root.auth,
    });
    expectErrorBody(cross, 404, 'INVITATION_NOT_FOUND');
    const own = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tenants/${a.tenantId}/invitations/${other.id}`,
      headers: root.auth,
    });
    expect(own.statusCode).toBe(204);
  });

  it('Idempotency-Key: a retried POST answers the same invitation and sends one mail', async () => {
    const email = uniqueEmail('idem');
    const key = { 'idempotency-key': `inv-${Date.now()}` };
    const [one, two] = [await invite(a, email, key), await invite(a, email, key)];
    expect(two.json()).toEqual(one.json());
    await mailTo(email);
    await sleep(500);
    expect(sink.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('a weak password is 422 and leaves the invitation usable', async () => {
    const email = uniqueEmail('weak');
    const { id } = (await invite(a, email)).json();
    const token = linkToken((await mailTo(email))[0], '/accept-invitation');
    expectErrorBody(await accept(token, 'password'), 422, 'WEAK_PASSWORD');
    expect(await statusOf(a, id)).toBe('pending');
    expect((await accept(token)).statusCode).toBe(200);
  });
});

// Promise: a link past its lifetime is refused, and listed as expired.
describe('invitation expiry', () => {
  it('an expired token gives 400 INVALID_TOKEN and the invitation lists as expired', async () => {
    const sink = await startSmtpSink();
    const t = await createTestApp({ ...FAST_MAIL, SMTP_URL: sink.url, INVITATION_TTL_SECONDS: '2' });
    try {
      const f = new Factory(t.app);
      const a = await f.tenant();
      const email = uniqueEmail('expiring');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: a.admin.auth,
        payload: { email, role: 'user' },
      });
      const [mail] = await sink.waitFor(1, 15_000, (m) => m.to.includes(email));
      await sleep(Math.max(0, Date.parse(res.json().expires_at) - Date.now()) + 50);
      const accepted = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/accept-invitation',
        payload: { token: linkToken(mail, '/accept-invitation'), password: strongPassword() },
      });
      expectErrorBody(accepted, 400, 'INVALID_TOKEN');
      const expired = await t.app.inject({
        method: 'GET',
        url: '/api/v1/invitations?status=expired',
        headers: a.admin.auth,
      });
      expect(expired.json().items).toEqual([expect.objectContaining({ id: res.json().id, status: 'expired' })]);
    } finally {
      await t.close();
      await sink.stop();
    }
  });
});

// Promise: with MAIL_DISABLED=true, inviting answers 503 MAIL_DISABLED and stores nothing.
describe('mail disabled', () => {
  it('POST /invitations answers 503 MAIL_DISABLED; readiness says mail disabled', async () => {
    const t = await createTestApp({ MAIL_DISABLED: 'true' });
    try {
      const a = await new Factory(t.app).tenant();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: a.admin.auth,
        payload: { email: uniqueEmail('nomail'), role: 'user' },
      });
      expectErrorBody(res, 503, 'MAIL_DISABLED');
      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/invitations', headers: a.admin.auth });
      expect(listed.json()).toEqual({ items: [], total: 0, page: 1, size: 20 });
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.json().checks.mail).toBe('disabled');
    } finally {
      await t.close();
    }
  });
});
