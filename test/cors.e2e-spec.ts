import type { Response as InjectResponse } from 'light-my-request';
import { expectErrorBody } from './support/expect-error';
import { createTestApp, type TestApp } from './support/test-app';

const ALLOWED = 'https://app.example.com';
const STRANGER = 'https://evil.example.net';

function preflight(t: TestApp, origin: string): Promise<InjectResponse> {
  return t.app.inject({
    method: 'OPTIONS',
    url: '/api/v1/auth/login',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
}

function corsHeaders(res: InjectResponse): string[] {
  return Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));
}

// Promise: with an explicit allow-list, only listed origins may call the API from a browser
// (with credentials); any other origin gets no Access-Control-Allow-Origin, preflight or not.
// Neither gets `allow-credentials` (@fastify/cors sends it everywhere; security.ts removes it).
describe('CORS with an allow-list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BACKEND_CORS_ORIGINS: ALLOWED });
  });
  afterAll(() => t.close());

  it('a preflight from the allowed origin is answered for that origin, with credentials', async () => {
    const res = await preflight(t, ALLOWED);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(String(res.headers.vary)).toMatch(/origin/i);
  });

  it('a simple GET from the allowed origin exposes the request id header', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { origin: ALLOWED } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' });
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(String(res.headers['access-control-expose-headers']).toLowerCase()).toContain('x-request-id');
  });

  it('a preflight from an unlisted origin gets no Access-Control-Allow-Origin', async () => {
    const res = await preflight(t, STRANGER);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.body).not.toContain(STRANGER);
  });

  it('a simple GET from an unlisted origin is served without Access-Control-Allow-Origin', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { origin: STRANGER } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('an origin that only starts like the allowed one is not allowed', async () => {
    const res = await preflight(t, `${ALLOWED}.evil.example.net`);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

// Promise: `*` opens the API to every origin but never together with credentials.
describe('CORS with *', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BACKEND_CORS_ORIGINS: '*' });
  });
  afterAll(() => t.close());

  it('a preflight gets ACAO * and no allow-credentials', async () => {
    const res = await preflight(t, STRANGER);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('a simple GET gets ACAO * and no allow-credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { origin: STRANGER } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

// Promise: without BACKEND_CORS_ORIGINS, CORS is off: no access-control-* header on any answer.
describe('CORS off by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ BACKEND_CORS_ORIGINS: undefined });
  });
  afterAll(() => t.close());

  it('neither a preflight nor a simple GET carries CORS headers', async () => {
    const pre = await preflight(t, ALLOWED);
    expectErrorBody(pre, 405, 'METHOD_NOT_ALLOWED'); // OPTIONS is just another method here
    expect(corsHeaders(pre)).toEqual([]);
    const get = await t.app.inject({ method: 'GET', url: '/', headers: { origin: ALLOWED } });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' });
    expect(corsHeaders(get)).toEqual([]);
  });
});
