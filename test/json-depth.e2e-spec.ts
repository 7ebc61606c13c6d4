import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/** `{"<field>": [[[ ... "x" ... ]]]}`: the body's nesting depth is `levels + 1`. */
function nestedIn(field: string, levels: number): string {
  return `{"${field}":${'['.repeat(levels)}"x"${']'.repeat(levels)}}`;
}

// Promise: a JSON body nested deeper than 32 levels is refused with 400 MALFORMED_BODY before it
// is parsed, on every route, with or without a token: it used to reach the recursive validation
// after JSON.parse (422 at 1,200 levels, 500 at 1,500 on the real server, 5,000 under inject).
describe('JSON nesting depth', () => {
  let t: TestApp;
  let tenant: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    tenant = await new Factory(t.app).tenant();
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string, auth = true) =>
    t.app.inject({
      method: url.endsWith('/me') ? 'PATCH' : 'POST',
      url,
      headers: { 'content-type': 'application/json', ...(auth ? tenant.admin.auth : {}) },
      payload,
    });

  it('refuses 1,500, 5,000 and 100,000 levels with 400 MALFORMED_BODY on the public and the protected routes', async () => {
    const routes: Array<[string, string, boolean]> = [
      ['/api/v1/auth/login', 'email', false],
      ['/api/v1/auth/register', 'email', false],
      ['/api/v1/auth/refresh-token', 'refresh_token', false],
      ['/api/v1/projects', 'name', true],
      ['/api/v1/users/me', 'full_name', true],
    ];
    let slowest = 0;
    let refused = 0;
    for (const [url, field, auth] of routes) {
      for (const levels of [1_500, 5_000, 100_000]) {
        const started = performance.now();
        const res = await post(url, nestedIn(field, levels), auth);
        slowest = Math.max(slowest, performance.now() - started);
        const body = expectErrorBody(res, 400, 'MALFORMED_BODY');
        expect(body.detail).toBe('Body nests objects or arrays deeper than 32 levels');
        refused += 1;
      }
    }
    // An object chain (the shape of the 3 KB body) too.
    const chain = `${'{"a":'.repeat(1_500)}1${'}'.repeat(1_500)}`;
    expectErrorBody(await post('/api/v1/auth/login', chain, false), 400, 'MALFORMED_BODY');
    console.log(
      `json depth: ${refused + 1} bodies of 1,500..100,000 levels on ${routes.length} routes -> 400 MALFORMED_BODY, slowest ${Math.round(slowest)} ms`,
    );
  });

  it('parses depth 32 (the validation answers), refuses depth 33', async () => {
    const at = expectErrorBody(await post('/api/v1/projects', nestedIn('name', 31)), 422, 'VALIDATION_FAILED');
    expect(at.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name' })]));
    expectErrorBody(await post('/api/v1/projects', nestedIn('name', 32)), 400, 'MALFORMED_BODY');
  });

  it('does not count brackets inside strings, escaped quotes included', async () => {
    const name = `a\\"${'[{'.repeat(60)}`;
    const res = await post('/api/v1/projects', `{"name":"${name}"}`);
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe(`a"${'[{'.repeat(60)}`);
  });

  it('keeps refusing prototype poisoning and malformed JSON in the documented shape', async () => {
    const proto = expectErrorBody(
      await post(
        '/api/v1/auth/login',
        '{"email":"a@example.com","password":"x","__proto__":{"role":"superadmin"}}',
        false,
      ),
      400,
      'MALFORMED_BODY',
    );
    expect(proto.detail).toBe('Body is not valid JSON');
    const broken = expectErrorBody(await post('/api/v1/auth/login', '{"email": ', false), 400, 'MALFORMED_BODY');
    expect(broken.detail).toBe('Body is not valid JSON');
  });

  it('form bodies have no nesting: bracketed keys stay flat names and are refused as unknown fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=a%40example.com&password=x&${'a[b]'.repeat(200)}=1`,
    });
    const body = expectErrorBody(res, 422, 'VALIDATION_FAILED');
    // One flat unknown key; not echoed back, since it is not shaped like a field name.
    expect(body.errors).toEqual([
      { field: '(unrecognised field)', message: 'property (unrecognised field) should not exist' },
    ]);
    expect(res.body).not.toContain('a[b]');
  });
});
