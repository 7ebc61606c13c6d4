import { connect, type AddressInfo } from 'node:net';
import type { Response as InjectResponse } from 'light-my-request';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession } from './support/factories';
import { asInjectResponse, parseRawResponses } from './support/real-server';
import { createTestApp, type TestApp } from './support/test-app';

const ALLOWED = 'https://app.example.com';
const STRANGER = 'https://evil.example.net';

/** Writes `request` on a fresh TCP connection and reads until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(5_000, () => fail(new Error(`no close within 5 s; got ${JSON.stringify(received)}`)));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined); // the server may reset after answering
    socket.on('close', () => done(received));
    socket.write(request);
  });
}

// Promise: the corners of HTTP answer like the rest of the API: a method a path does not serve is
// 405 with Allow (QUERY and non-preflight OPTIONS included); what Node's HTTP parser refuses comes
// in the documented error shape; JSON-only routes refuse form bodies with 415; CORS credentials
// are granted only next to an allowed origin.
describe('protocol corners', () => {
  let t: TestApp;
  let tenant: TenantSession;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ BACKEND_CORS_ORIGINS: ALLOWED });
    tenant = await new Factory(t.app).tenant();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const expect405 = (res: InjectResponse, method: string, allow: string) => {
    const body = expectErrorBody(res, 405, 'METHOD_NOT_ALLOWED');
    expect(body.detail).toBe(`Method ${method} not allowed on /api/v1/projects`);
    expect(res.headers.allow).toBe(allow);
  };

  it('a JSON body sent as a form is refused without echoing its text (the password stays out of the 422)', async () => {
    const secret = `Pw-${Date.now()}-echo-9`;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: JSON.stringify({ grant_type: 'password', username: 'someone@example.com', password: secret }),
    });
    expectErrorBody(res, 422, 'VALIDATION_FAILED');
    expect(res.body).not.toContain(secret);
    expect(res.json().errors).toContainEqual({
      field: '(unrecognised field)',
      message: 'property (unrecognised field) should not exist',
    });
  });

  it('QUERY answers 405 with Allow, with or without a body', async () => {
    const bare = await t.app.inject({ method: 'QUERY' as 'GET', url: '/api/v1/projects' });
    expect405(bare, 'QUERY', 'GET, POST, HEAD');
    const withBody = await t.app.inject({
      method: 'QUERY' as 'GET',
      url: '/api/v1/projects',
      headers: { ...tenant.admin.auth, 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect405(withBody, 'QUERY', 'GET, POST, HEAD');
    const unknown = await t.app.inject({ method: 'QUERY' as 'GET', url: '/api/v1/nothing-here' });
    expectErrorBody(unknown, 404, 'NOT_FOUND');
  });

  it('OPTIONS that is not a CORS preflight is just another method: 405 with Allow, 404 on an unknown path', async () => {
    const noOrigin = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/projects' });
    expect405(noOrigin, 'OPTIONS', 'GET, POST, HEAD');
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    // An Origin without Access-Control-Request-Method is not a preflight either.
    const originOnly = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/projects', headers: { origin: ALLOWED } });
    expect405(originOnly, 'OPTIONS', 'GET, POST, HEAD');
    const unknown = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/nothing-here' });
    expect(expectErrorBody(unknown, 404, 'NOT_FOUND').detail).toBe('No route OPTIONS /api/v1/nothing-here');
    // A real preflight is still CORS's.
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/projects',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
  });

  it("requests Node's HTTP parser refuses are answered in the documented shape over a real socket", async () => {
    const cases: Array<[string, string, number, string]> = [
      ['bad request line', 'GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
      ['header without a colon', 'GET / HTTP/1.1\r\nHost: x\r\nNo Colon Here\r\n\r\n', 400, 'BAD_REQUEST'],
      ['unknown method', 'FROBNICATE / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'BAD_REQUEST'],
      [
        'Content-Length and Transfer-Encoding',
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
        'BAD_REQUEST',
      ],
      [
        '20 KB of headers',
        `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
    ];
    const seen: string[] = [];
    for (const [label, request, status, code] of cases) {
      const responses = parseRawResponses(await rawExchange(port, request));
      expect({ label, answers: responses.length }).toEqual({ label, answers: 1 });
      const res = asInjectResponse(responses[0]);
      const body = expectErrorBody(res, status, code);
      expect(res.headers.connection).toBe('close');
      expect(body.detail).toEqual(expect.any(String));
      expect(res.body).not.toMatch(/"statusCode"|"error"|Client Error/);
      seen.push(`${label} ${status}`);
    }
    console.log(
      `protocol corners: ${cases.length} raw-socket parser errors in the documented shape (${seen.join(', ')})`,
    );
  });

  it('JSON-only routes refuse a form body with 415 and change nothing; the login keeps the OAuth2 form', async () => {
    const form = (method: 'PATCH' | 'POST', url: string, payload: string, type = 'application/x-www-form-urlencoded') =>
      t.app.inject({ method, url, headers: { ...tenant.admin.auth, 'content-type': type }, payload });
    const me = await form('PATCH', '/api/v1/users/me', 'full_name=Changed+By+Form');
    expect(expectErrorBody(me, 415, 'UNSUPPORTED_MEDIA_TYPE').detail).toBe(
      'This route takes application/json only; send the body as JSON',
    );
    const project = await form(
      'POST',
      '/api/v1/projects',
      'name=Form+Project',
      'application/x-www-form-urlencoded; charset=utf-8',
    );
    expectErrorBody(project, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectErrorBody(await form('POST', '/api/v1/nothing-here', 'a=b'), 404, 'NOT_FOUND');
    const profile = await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: tenant.admin.auth });
    expect(profile.json().full_name).toBe('Tenant Admin');
    const projects = await t.app.inject({ method: 'GET', url: '/api/v1/projects', headers: tenant.admin.auth });
    expect(projects.json().items).toEqual([]);

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'password',
        username: tenant.admin.email,
        password: tenant.admin.password,
      }).toString(),
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toEqual(expect.objectContaining({ token_type: 'bearer', access_token: expect.any(String) }));
  });

  it("HEAD on a tenant route runs in the caller's tenant like its GET: same status and headers, no body", async () => {
    const auth = tenant.admin.auth;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: auth,
      payload: { name: 'Head' },
    });
    expect(created.statusCode).toBe(201);
    const url = `/api/v1/projects/${created.json<{ id: string }>().id}`;
    const get = await t.app.inject({ method: 'GET', url, headers: auth });
    expect(get.json()).toEqual(expect.objectContaining({ name: 'Head' }));
    const head = await t.app.inject({ method: 'HEAD', url, headers: auth });
    expect({ status: head.statusCode, body: head.body, length: head.headers['content-length'] }).toEqual({
      status: 200,
      body: '',
      length: get.headers['content-length'],
    });
  });

  it('access-control-allow-credentials only next to an allowed origin', async () => {
    const cases: Array<[string, Record<string, string>, string, boolean]> = [
      ['allowed origin', { origin: ALLOWED }, '/', true],
      ['unlisted origin', { origin: STRANGER }, '/', false],
      ['no origin', {}, '/', false],
      ['unlisted origin, error answer', { origin: STRANGER }, '/api/v1/auth/me', false],
      ['allowed origin, error answer', { origin: ALLOWED }, '/api/v1/auth/me', true],
    ];
    for (const [label, headers, url, credentials] of cases) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expect({
        label,
        origin: res.headers['access-control-allow-origin'],
        credentials: res.headers['access-control-allow-credentials'],
      }).toEqual({ label, origin: credentials ? ALLOWED : undefined, credentials: credentials ? 'true' : undefined });
    }
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/projects',
      headers: { origin: STRANGER, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
