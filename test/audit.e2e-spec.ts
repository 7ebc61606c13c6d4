import { randomBytes } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import { AuditTrail } from '../src/identity/audit/audit-trail.service';
import { MasterConnection } from '../src/infra/database/master-connection.service';
import { type AuditEventBody, auditEvents, eventOf } from './support/audit';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, strongPassword, uniqueEmail } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The audit log through the API: every action of today writes its event (actor, target, outcome,
 * address, request id), each stream shows only its own events, and no event anywhere holds a
 * password or token used in the run.
 */
describe('audit log: events of every action', () => {
  let t: TestApp;
  let f: Factory;
  let root: Session;
  /** Every password and token this spec used: none may appear in any stored event. */
  const secrets = new Set<string>();
  const keep = (s: Session) => {
    for (const v of [s.password, s.tokens.access_token, s.tokens.refresh_token]) secrets.add(v);
    return s;
  };
  const keepTenant = (tenant: TenantSession) => (keep(tenant.admin), tenant);

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, session?: Session, payload?: object) =>
    t.app.inject({ method, url, headers: session?.auth, ...(payload ? { payload } : {}) });
  /** The common shape: id, time, the address of app.inject, the request id the response carried. */
  const expectEvent = (e: AuditEventBody, res: InjectResponse, rest: Partial<AuditEventBody>) =>
    expect(e).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ip: '127.0.0.1',
      request_id: res.headers['x-request-id'],
      outcome: 'success',
      details: expect.any(Object),
      ...rest,
    });

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    root = keep(await f.superadminSession());
  });
  afterAll(() => t.close());

  it('logins: success in the account stream, failure of a known account too, unknown email nowhere', async () => {
    const tenant = keepTenant(await f.tenant());
    const ok = await inject('POST', '/api/v1/auth/login', undefined, {
      email: tenant.admin.email,
      password: tenant.admin.password,
    });
    expect(ok.statusCode).toBe(200);
    secrets.add(ok.json().access_token).add(ok.json().refresh_token);
    const success = await eventOf(t.app, tenant.admin, 'auth.login', ok, tenant.admin.id);
    expectEvent(success, ok, {
      action: 'auth.login',
      actor: { type: 'user', id: tenant.admin.id, email: tenant.admin.email },
      target: { type: 'user', id: tenant.admin.id },
      details: {},
    });

    const wrong = `Wrong-${randomBytes(6).toString('hex')}-7`;
    secrets.add(wrong);
    const bad = await inject('POST', '/api/v1/auth/login', undefined, { email: tenant.admin.email, password: wrong });
    expectErrorBody(bad, 401, 'INVALID_CREDENTIALS');
    const failure = await eventOf(t.app, tenant.admin, 'auth.login', bad, tenant.admin.id);
    expectEvent(failure, bad, {
      action: 'auth.login',
      outcome: 'failure',
      actor: { type: 'user', id: tenant.admin.id, email: tenant.admin.email },
      target: { type: 'user', id: tenant.admin.id },
      details: { reason: 'invalid_credentials' },
    });

    // An unknown email: no event, neither in the platform stream nor in this tenant's.
    const nobody = uniqueEmail('nobody');
    const unknown = await inject('POST', '/api/v1/auth/login', undefined, { email: nobody, password: wrong });
    expectErrorBody(unknown, 401, 'INVALID_CREDENTIALS');
    await t.app.get(AuditTrail).flush();
    const everywhere = [...(await auditEvents(t.app, root)), ...(await auditEvents(t.app, tenant.admin))];
    expect(everywhere.filter((e) => e.request_id === unknown.headers['x-request-id'])).toEqual([]);

    // A superadmin's login: the platform stream.
    const rootLogin = await inject('POST', '/api/v1/auth/login', undefined, {
      email: root.email,
      password: root.password,
    });
    secrets.add(rootLogin.json().access_token).add(rootLogin.json().refresh_token);
    expectEvent(await eventOf(t.app, root, 'auth.login', rootLogin, root.id), rootLogin, {
      action: 'auth.login',
      actor: { type: 'superadmin', id: root.id, email: root.email },
      target: { type: 'superadmin', id: root.id },
      details: {},
    });
  });

  it('users: created, updated, role changed, deleted (by the tenant admin)', async () => {
    const tenant = keepTenant(await f.tenant());
    const admin = tenant.admin;
    const actor = { type: 'user', id: admin.id };
    const password = strongPassword();
    secrets.add(password);
    const email = uniqueEmail('member');
    const created = await inject('POST', '/api/v1/users', admin, { email, password, full_name: 'Member' });
    expect(created.statusCode).toBe(201);
    const id: string = created.json().id;
    expectEvent(await eventOf(t.app, admin, 'user.created', created, id), created, {
      action: 'user.created',
      actor,
      target: { type: 'user', id },
      details: { email, role: 'user' },
    });

    const promoted = await inject('PATCH', `/api/v1/users/${id}`, admin, { role: 'tenant_admin', full_name: 'Boss' });
    expect(promoted.statusCode).toBe(200);
    expectEvent(await eventOf(t.app, admin, 'user.updated', promoted, id), promoted, {
      action: 'user.updated',
      actor,
      target: { type: 'user', id },
      details: { fields: ['full_name', 'role'], is_active: true },
    });
    expectEvent(await eventOf(t.app, admin, 'user.role_changed', promoted, id), promoted, {
      action: 'user.role_changed',
      actor,
      target: { type: 'user', id },
      details: { from: 'user', to: 'tenant_admin' },
    });

    const deleted = await inject('DELETE', `/api/v1/users/${id}`, admin);
    expect(deleted.statusCode).toBe(204);
    expectEvent(await eventOf(t.app, admin, 'user.deleted', deleted, id), deleted, {
      action: 'user.deleted',
      actor,
      target: { type: 'user', id },
      details: { email },
    });
  });

  it('own credentials: password change (failure, success), refresh reuse, logout, logout-all', async () => {
    const tenant = keepTenant(await f.tenant());
    const member = keep(await f.member(tenant));
    const self = { type: 'user', id: member.id };
    const newPassword = strongPassword();
    secrets.add(newPassword);

    const wrongCurrent = await inject('POST', '/api/v1/auth/change-password', member, {
      current_password: `Not-${member.password}`,
      new_password: newPassword,
    });
    expectErrorBody(wrongCurrent, 400, 'CURRENT_PASSWORD_INCORRECT');
    secrets.add(`Not-${member.password}`);
    expectEvent(await eventOf(t.app, tenant.admin, 'auth.password_changed', wrongCurrent, member.id), wrongCurrent, {
      action: 'auth.password_changed',
      outcome: 'failure',
      actor: self,
      target: self,
      details: { reason: 'current_password_incorrect' },
    });
    const changed = await inject('POST', '/api/v1/auth/change-password', member, {
      current_password: member.password,
      new_password: newPassword,
    });
    expect(changed.statusCode).toBe(204);
    expectEvent(await eventOf(t.app, tenant.admin, 'auth.password_changed', changed, member.id), changed, {
      action: 'auth.password_changed',
      actor: self,
      target: self,
      details: { other_sessions_revoked: true },
    });

    // Refresh reuse: rotate once, then replay the spent token.
    const fresh = keep(await f.session(member.email, newPassword, member.id));
    const rotated = await inject('POST', '/api/v1/auth/refresh-token', undefined, {
      refresh_token: fresh.tokens.refresh_token,
    });
    expect(rotated.statusCode).toBe(200);
    secrets.add(rotated.json().access_token).add(rotated.json().refresh_token);
    const replay = await inject('POST', '/api/v1/auth/refresh-token', undefined, {
      refresh_token: fresh.tokens.refresh_token,
    });
    expectErrorBody(replay, 401, 'INVALID_REFRESH_TOKEN');
    const reuse = (await auditEvents(t.app, tenant.admin, 'action=auth.refresh_reuse_detected')).find(
      (e) => e.request_id === replay.headers['x-request-id'],
    );
    expect(reuse).toBeDefined();
    expectEvent(reuse!, replay, {
      action: 'auth.refresh_reuse_detected',
      outcome: 'failure',
      actor: self,
      target: { type: 'session', id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown as string },
      details: { reason: 'refresh_token_reused', family_revoked: true },
    });

    // Logout (the bearer's session), then logout-all from another session.
    const s1 = keep(await f.session(member.email, newPassword, member.id));
    const s2 = keep(await f.session(member.email, newPassword, member.id));
    const logout = await inject('POST', '/api/v1/auth/logout', s1);
    expect(logout.statusCode).toBe(204);
    const out = (await auditEvents(t.app, tenant.admin, 'action=auth.logout')).find(
      (e) => e.request_id === logout.headers['x-request-id'],
    );
    expectEvent(out!, logout, {
      action: 'auth.logout',
      actor: self,
      target: { type: 'session', id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown as string },
      details: {},
    });
    const all = await inject('POST', '/api/v1/auth/logout-all', s2);
    expect(all.statusCode).toBe(204);
    expectEvent(await eventOf(t.app, tenant.admin, 'auth.logout_all', all, member.id), all, {
      action: 'auth.logout_all',
      actor: self,
      target: self,
      details: {},
    });
  });

  it('tenants (platform stream) and superadmin access to a tenant (both streams)', async () => {
    const domain = `audit-${randomBytes(4).toString('hex')}`;
    const adminPassword = strongPassword();
    secrets.add(adminPassword);
    const superadmin = { type: 'superadmin', id: root.id };
    const created = await inject('POST', '/api/v1/tenants', root, {
      name: 'Audited Co',
      domain,
      email: `ops@${domain}.example`,
      admin_name: 'Ada',
      admin_email: `ada@${domain}.example`,
      admin_password: adminPassword,
    });
    expect(created.statusCode).toBe(201);
    const tenantId: string = created.json().id;
    const tenantEvent = await eventOf(t.app, root, 'tenant.created', created, tenantId);
    expectEvent(tenantEvent, created, {
      action: 'tenant.created',
      actor: superadmin,
      target: { type: 'tenant', id: tenantId },
      details: { name: 'Audited Co', domain, admin_id: expect.any(String) },
    });

    // The superadmin reads the tenant's users: one access event in the tenant's stream, one in the platform's.
    const read = await inject('GET', `/api/v1/tenants/${tenantId}/users`, root);
    expect(read.statusCode).toBe(200);
    const access = {
      action: 'superadmin.tenant_access',
      actor: superadmin,
      target: { type: 'tenant', id: tenantId },
      details: { method: 'GET', route: '/api/v1/tenants/:tenant_id/users' },
    };
    expectEvent(await eventOf(t.app, root, 'superadmin.tenant_access', read, tenantId), read, access);
    const tenantBase = `/api/v1/tenants/${tenantId}/audit-events`;
    expectEvent(await eventOf(t.app, root, 'superadmin.tenant_access', read, tenantId, tenantBase), read, access);
    const adminCreated = await eventOf(
      t.app,
      root,
      'user.created',
      created,
      tenantEvent.details.admin_id as string,
      tenantBase,
    );
    expect(adminCreated.actor).toEqual(superadmin);

    const renamed = await inject('PATCH', `/api/v1/tenants/${tenantId}`, root, { name: 'Audited Co 2' });
    expect(renamed.statusCode).toBe(200);
    expectEvent(await eventOf(t.app, root, 'tenant.updated', renamed, tenantId), renamed, {
      action: 'tenant.updated',
      actor: superadmin,
      target: { type: 'tenant', id: tenantId },
      details: { fields: ['name'], status: 'active' },
    });
    const suspended = await inject('PATCH', `/api/v1/tenants/${tenantId}`, root, { status: 'suspended' });
    expect(suspended.statusCode).toBe(200);
    expectEvent(await eventOf(t.app, root, 'tenant.suspended', suspended, tenantId), suspended, {
      action: 'tenant.suspended',
      actor: superadmin,
      target: { type: 'tenant', id: tenantId },
      details: { fields: ['status'], status: 'suspended' },
    });
    const deleted = await inject('DELETE', `/api/v1/tenants/${tenantId}`, root);
    expect(deleted.statusCode).toBe(204);
    expectEvent(await eventOf(t.app, root, 'tenant.deleted', deleted, tenantId), deleted, {
      action: 'tenant.deleted',
      actor: superadmin,
      target: { type: 'tenant', id: tenantId },
      details: { name: 'Audited Co 2', domain },
    });
  });

  it('API keys: created and revoked by the admin; what a key does is recorded with the key as actor', async () => {
    const tenant = keepTenant(await f.tenant());
    const admin = tenant.admin;
    const created = await inject('POST', '/api/v1/api-keys', admin, { name: 'Back office', role: 'tenant_admin' });
    expect(created.statusCode).toBe(201);
    const { id: keyId, key } = created.json<{ id: string; key: string }>();
    secrets.add(key);
    expectEvent(await eventOf(t.app, admin, 'api_key.created', created, keyId), created, {
      action: 'api_key.created',
      actor: { type: 'user', id: admin.id },
      target: { type: 'api_key', id: keyId },
      details: { name: 'Back office', role: 'tenant_admin', expires_at: null },
    });

    const byKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { 'x-api-key': key },
      payload: { email: uniqueEmail('bykey'), password: strongPassword(), full_name: 'Made by a key' },
    });
    expect(byKey.statusCode).toBe(201);
    const made = await eventOf(t.app, admin, 'user.created', byKey, byKey.json<{ id: string }>().id);
    expect(made.actor).toEqual({ type: 'api_key', id: keyId });

    const revoked = await inject('DELETE', `/api/v1/api-keys/${keyId}`, admin);
    expect(revoked.statusCode).toBe(204);
    expectEvent(await eventOf(t.app, admin, 'api_key.revoked', revoked, keyId), revoked, {
      action: 'api_key.revoked',
      actor: { type: 'user', id: admin.id },
      target: { type: 'api_key', id: keyId },
      details: {},
    });
  });

  it("tenant B's admin never sees tenant A's events; a user is refused; filters and cursor pages", async () => {
    const a = keepTenant(await f.tenant());
    const b = keepTenant(await f.tenant());
    const member = keep(await f.member(a));
    for (let i = 0; i < 3; i++) keep(await f.member(a));
    const seenByB = await auditEvents(t.app, b.admin);
    const aIds = new Set([a.admin.id, member.id, a.tenantId]);
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.filter((e) => aIds.has(e.actor.id) || aIds.has(e.target.id))).toEqual([]);
    expect(JSON.stringify(seenByB)).not.toContain(a.admin.email);
    const seenByA = await auditEvents(t.app, a.admin);
    expect(seenByA.some((e) => e.target.id === member.id)).toBe(true);

    for (const url of ['/api/v1/audit-events', '/api/v1/audit-events/verify']) {
      expectErrorBody(await inject('GET', url, member), 403, 'FORBIDDEN');
    }
    expectErrorBody(await inject('GET', `/api/v1/tenants/${a.tenantId}/audit-events`, b.admin), 403, 'FORBIDDEN');

    // Filters: actor, action, time window.
    const byAdmin = await auditEvents(t.app, a.admin, `actor_id=${a.admin.id}`);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.actor.id === a.admin.id)).toBe(true);
    const creations = await auditEvents(t.app, a.admin, 'action=user.created');
    expect(creations.map((e) => e.action)).toEqual(Array(5).fill('user.created'));
    expect(await auditEvents(t.app, a.admin, `until=${encodeURIComponent(new Date(0).toISOString())}`)).toEqual([]);
    const since = await auditEvents(t.app, a.admin, `since=${encodeURIComponent(creations[0].at)}`);
    expect(since.every((e) => e.at >= creations[0].at)).toBe(true);

    // Cursor pages of 2: newest first, every event once.
    const pages: string[] = [];
    let after = '';
    for (let n = 0; n < 50; n++) {
      const res = await inject('GET', `/api/v1/audit-events?limit=2${after ? `&after=${after}` : ''}`, a.admin);
      const page = res.json<{ items: AuditEventBody[]; next: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      pages.push(...page.items.map((e) => e.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(pages).toEqual(seenByA.map((e) => e.id));
    expect(pages.map(Number)).toEqual([...pages.map(Number)].sort((x, y) => y - x));
    expectErrorBody(await inject('GET', '/api/v1/audit-events?after=abc', a.admin), 422, 'VALIDATION_FAILED');
    expectErrorBody(await inject('GET', '/api/v1/audit-events?since=yesterday', a.admin), 422, 'VALIDATION_FAILED');

    const verified = await inject('GET', '/api/v1/audit-events/verify', a.admin);
    expect(verified.json()).toEqual({ valid: true, events: seenByA.length, first_invalid_id: null });
  });

  // Last: everything the spec did is in the database by now.
  it('no stored event, in any database of this run, holds a password or token used in it', async () => {
    await t.app.get(AuditTrail).flush(); // queued failed-login events
    const master = t.app.get(MasterConnection).connection;
    // This app's master database and the databases of the tenants it holds (deleted ones are gone).
    const tenants = await master.collection('tenants').find().toArray();
    const dbs = [t.config.masterDbName, ...tenants.map((x) => `t_${String(x._id)}`)];
    let events = 0;
    const hits: string[] = [];
    for (const name of dbs) {
      const docs = await master.useDb(name).collection('audit_events').find().toArray();
      events += docs.length;
      for (const doc of docs) {
        const text = JSON.stringify(doc);
        for (const secret of secrets) if (text.includes(secret)) hits.push(`${name} #${String(doc._id)}`);
      }
    }
    console.log(
      `audit secrets scan: ${events} events in ${dbs.length} databases, ${secrets.size} passwords/tokens searched, ${hits.length} found`,
    );
    expect(events).toBeGreaterThan(20);
    expect(hits).toEqual([]);
  });
});
