import { Types } from 'mongoose';
import { AccountTokens } from '../src/identity/account-tokens/account-tokens.service';
import { auditEvents, eventOf } from './support/audit';
import { Factory, type TenantSession, strongPassword, uniqueEmail } from './support/factories';
import { type SmtpSink, linkToken, startSmtpSink } from './support/smtp-sink';
import { createTestApp, type TestApp } from './support/test-app';

/** A sender that polls and retries fast, as in test/invitations.e2e-spec.ts. */
const FAST_MAIL = {
  MAIL_POLL_INTERVAL_MS: '50',
  MAIL_RETRY_BASE_MS: '100',
  MAIL_RETRY_MAX_MS: '500',
  MAIL_SEND_TIMEOUT_MS: '1000',
  MAIL_LEASE_MS: '5000',
  PUBLIC_APP_URL: 'https://app.example.test',
};

// Promise: the mailed flows leave their audit events in the tenant's stream, with the actor who
// acted (the admin, or the person the link reached) and never the link's token.
describe('audit log: invitations, password reset, email verification', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let f: Factory;
  let a: TenantSession;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ ...FAST_MAIL, SMTP_URL: sink.url });
    f = new Factory(t.app);
    a = await f.tenant();
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const post = (url: string, payload: object, auth?: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: auth, payload });

  it('invitation created, revoked and accepted: each its event, the token in none', async () => {
    const email = uniqueEmail('audited');
    const created = await post('/api/v1/invitations', { email, role: 'user' }, a.admin.auth);
    expect(created.statusCode).toBe(201);
    const invitationId = created.json<{ id: string }>().id;
    const createdEvent = await eventOf(t.app, a.admin, 'invitation.created', created, invitationId);
    expect(createdEvent).toMatchObject({
      actor: { type: 'user', id: a.admin.id },
      target: { type: 'invitation', id: invitationId },
      outcome: 'success',
      details: { email, role: 'user' },
    });

    const other = await post('/api/v1/invitations', { email: uniqueEmail('revoked'), role: 'user' }, a.admin.auth);
    const otherId = other.json<{ id: string }>().id;
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${otherId}`,
      headers: a.admin.auth,
    });
    expect(revoked.statusCode).toBe(204);
    expect(await eventOf(t.app, a.admin, 'invitation.revoked', revoked, otherId)).toMatchObject({
      actor: { type: 'user', id: a.admin.id },
      target: { type: 'invitation', id: otherId },
    });

    const [mail] = await sink.waitFor(1, 10_000, (m) => m.to.includes(email));
    const token = linkToken(mail, '/accept-invitation');
    const accepted = await post('/api/v1/auth/accept-invitation', { token, password: strongPassword() });
    expect(accepted.statusCode).toBe(200);
    const event = await eventOf(t.app, a.admin, 'invitation.accepted', accepted, invitationId);
    const member = event.details.user_id as string;
    expect(member).toMatch(/^[0-9a-f]{24}$/);
    expect(event).toMatchObject({
      actor: { type: 'user', id: member, email },
      target: { type: 'invitation', id: invitationId },
      details: { user_id: member, role: 'user' },
    });

    const everything = JSON.stringify(await auditEvents(t.app, a.admin));
    expect(everything).not.toContain(token.split('.')[1]);
  });

  it('password reset and email verification: the account is the actor', async () => {
    const member = await f.member(a);
    const ref = { accountId: new Types.ObjectId(member.id), tenantId: new Types.ObjectId(a.tenantId) };

    const reset = await t.app.get(AccountTokens).issue('password_reset', ref);
    const resetRes = await post('/api/v1/auth/reset-password', { token: reset.token, new_password: strongPassword() });
    expect(resetRes.statusCode).toBe(204);
    expect(await eventOf(t.app, a.admin, 'auth.password_reset', resetRes, member.id)).toMatchObject({
      actor: { type: 'user', id: member.id, email: member.email },
      target: { type: 'user', id: member.id },
      details: { sessions_revoked: true },
    });

    const verify = await t.app.get(AccountTokens).issue('email_verification', ref);
    const verifyRes = await post('/api/v1/auth/verify-email', { token: verify.token });
    expect(verifyRes.statusCode).toBe(204);
    expect(await eventOf(t.app, a.admin, 'user.email_verified', verifyRes, member.id)).toMatchObject({
      actor: { type: 'user', id: member.id },
      target: { type: 'user', id: member.id },
    });

    const everything = JSON.stringify(await auditEvents(t.app, a.admin));
    for (const secret of [reset.token, verify.token]) expect(everything).not.toContain(secret);
  });
});
