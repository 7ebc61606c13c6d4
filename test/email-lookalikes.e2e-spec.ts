import { randomBytes } from 'node:crypto';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, strongPassword, type TenantSession } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/** A fresh Latin local part per test, so lookalikes of it are the only neighbours. */
const base = () => `cafe${randomBytes(4).toString('hex')}`;

/** The lookalikes of the issue: how each is made from a plain address, and what must happen to it. */
const LOOKALIKES: Array<{ name: string; make: (local: string) => string; expect: 'same' | 'refused' }> = [
  // `cafe…` + `é` written decomposed (e + U+0301) against the composed original.
  { name: 'NFD é', make: (l) => `${l}\u00e9@example.com`.normalize('NFD'), expect: 'same' },
  { name: 'fullwidth letters', make: (l) => `\uff43\uff41${l.slice(2)}\u00e9@example.com`, expect: 'same' },
  { name: 'zero-width space', make: (l) => `${l.slice(0, 2)}\u200b${l.slice(2)}\u00e9@example.com`, expect: 'refused' },
  { name: 'soft hyphen', make: (l) => `${l.slice(0, 2)}\u00ad${l.slice(2)}\u00e9@example.com`, expect: 'refused' },
  { name: 'Cyrillic а', make: (l) => `c\u0430${l.slice(2)}\u00e9@example.com`, expect: 'refused' },
];

// Promise: two emails that look the same to a person are one account (NFKC, lower-case) or the
// second is refused (invisible characters, a letter of another script inside a Latin part), on
// every route that takes an email; a lookalike login reaches the original account or nothing.
describe('lookalike emails', () => {
  let t: TestApp;
  let f: Factory;
  let tenant: TenantSession;
  let root: Session;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    tenant = await f.tenant();
    root = await f.superadminSession();
  });
  afterAll(() => t.close());

  const createUser = (email: string, password = strongPassword()) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: tenant.admin.auth,
      payload: { email, password, full_name: 'Look Alike' },
    });
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const formLogin = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'password', username: email, password }).toString(),
    });

  it('a second account for a lookalike of a tenant member is refused (409 after normalisation, or 422)', async () => {
    const figures: string[] = [];
    for (const lookalike of LOOKALIKES) {
      const local = base();
      const original = `${local}\u00e9@example.com`; // NFC
      const password = strongPassword();
      const created = await createUser(original, password);
      expect(created.statusCode).toBe(201);
      expect(created.json().email).toBe(original);
      const originalId = created.json().id as string;

      const email = lookalike.make(local);
      expect(email).not.toBe(original); // a different string...
      const second = await createUser(email);
      if (lookalike.expect === 'same') {
        expectErrorBody(second, 409, 'USER_EXISTS');
        // ...that logs in to the original account, with its password only.
        const ok = await login(email, password);
        expect(ok.statusCode).toBe(200);
        const me = await t.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { authorization: `Bearer ${ok.json().access_token}` },
        });
        expect(me.json()).toEqual(expect.objectContaining({ id: originalId, email: original }));
        expectErrorBody(await login(email, strongPassword()), 401, 'INVALID_CREDENTIALS');
      } else {
        const body = expectErrorBody(second, 422, 'VALIDATION_FAILED');
        expect(body.errors).toEqual([{ field: 'email', message: expect.stringMatching(/^email must not /) }]);
        // Neither login form reaches any account with it, not even the original's password.
        for (const res of [await login(email, password), await formLogin(email, password)]) {
          const refused = expectErrorBody(res, 422, 'VALIDATION_FAILED');
          expect(refused.errors).toEqual([
            { field: expect.stringMatching(/^(email|username)$/), message: expect.stringMatching(/ must not /) },
          ]);
        }
      }
      figures.push(`${lookalike.name} ${second.statusCode}`);
    }
    const users = await t.app.inject({ method: 'GET', url: '/api/v1/users?limit=100', headers: tenant.admin.auth });
    const emails = (users.json().items as Array<{ email: string }>).map((u) => u.email);
    expect(emails.filter((e) => e !== e.normalize('NFKC') || /[^\x20-\x7e\u00e9]/.test(e))).toEqual([]);
    console.log(`lookalike emails: ${LOOKALIKES.length} lookalikes, second account refused: ${figures.join(', ')}`);
  });

  it('sign-up, tenant creation and the admin email refuse invisible and mixed-script emails too', async () => {
    const zeroWidth = `sign\u200bup-${randomBytes(4).toString('hex')}@example.com`;
    const register = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: zeroWidth, password: strongPassword(), org_name: `Org ${randomBytes(4).toString('hex')}` },
    });
    expect(expectErrorBody(register, 422, 'VALIDATION_FAILED').errors).toEqual([
      { field: 'email', message: 'email must not contain invisible, formatting or control characters' },
    ]);
    const tenantCreate = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tenants',
      headers: root.auth,
      payload: {
        name: 'Lookalike Org',
        domain: `lookalike-${randomBytes(4).toString('hex')}`,
        email: `billing@ex\u0430mple.com`, // Cyrillic а in a domain label
        admin_email: `\u0430dmin-${randomBytes(4).toString('hex')}@example.com`,
        admin_name: 'Look Alike',
        admin_password: strongPassword(),
      },
    });
    const body = expectErrorBody(tenantCreate, 422, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([
      { field: 'email', message: 'email must not mix scripts (such as Latin and Cyrillic) in one part' },
      { field: 'admin_email', message: 'admin_email must not mix scripts (such as Latin and Cyrillic) in one part' },
    ]);
  });

  it('plain addresses in one script, or Latin with Japanese, are still accepted', async () => {
    for (const email of [
      `Upper.${base()}@Example.COM`,
      `${base()}山田たなか@example.com`,
      `ж${base().length}@пример.рф`,
    ]) {
      const res = await createUser(email);
      expect({ email, status: res.statusCode }).toEqual({ email, status: 201 });
      expect(res.json().email).toBe(email.normalize('NFKC').toLowerCase());
    }
  });
});
