import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { uniqueEmail } from './support/factories';

/** Every client mistake answers a 4xx in the one documented shape, and changes nothing. */
describe('error statuses on real routes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  });
  afterAll(() => t.close());

  const register = (payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/register', headers: { 'content-type': contentType }, payload });

  it('413 for a body over the limit', async () => {
    const res = await register(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(200 * 1024) }));
    expectErrorBody(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('415 for an unsupported content type', async () => {
    expectErrorBody(await register('email=a', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectErrorBody(await register('<a/>', 'application/xml'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('400 for malformed JSON, without the parser message', async () => {
    const body = expectErrorBody(await register('{"email": '), 400, 'MALFORMED_BODY');
    expect(body.detail).toBe('Body is not valid JSON');
  });

  it('422 with field errors for invalid fields, unknown fields and operator injection', async () => {
    const res = await register(
      JSON.stringify({ email: { $ne: null }, password: 'SecurePassword123!', org_name: 'Acme Org', tenant_id: 'x' }),
    );
    const body = expectErrorBody(res, 422, 'VALIDATION_FAILED');
    const fields = (body.errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'tenant_id']));
  });

  it('422 WEAK_PASSWORD for a common password, naming the field', async () => {
    const res = await register(JSON.stringify({ email: uniqueEmail(), password: 'password123', org_name: 'Weak Org' }));
    const body = expectErrorBody(res, 422, 'WEAK_PASSWORD');
    expect(body.errors).toEqual([{ field: 'password', message: expect.stringContaining('too common') }]);
  });

  it('404 (not 500) for a malformed id, 401 with WWW-Authenticate without a token', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/tenants/not-an-id' });
    expectErrorBody(anon, 401, 'UNAUTHENTICATED');
    expect(anon.headers['www-authenticate']).toBe('Bearer');
  });

  it('401 for a garbage bearer token', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expectErrorBody(res, 401, 'UNAUTHENTICATED');
  });
});
