import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { IDLE_OUTBOX } from './support/readiness';

describe('foundation: public routes, error shape, request ids', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET / answers the welcome message', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' });
  });

  it('GET /health is liveness only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready reports MongoDB and Redis up', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { mongodb: 'up', redis: 'up', mail: 'up' },
      mail_outbox: IDLE_OUTBOX,
    });
  });

  it('ignores a trailing slash', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/route' });
    expectErrorBody(res, 404, 'NOT_FOUND');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/health' });
    expectErrorBody(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('echoes a sane x-request-id and replaces an unsafe one', async () => {
    const sane = await t.app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'client-abc.123' } });
    expect(sane.headers['x-request-id']).toBe('client-abc.123');
    expect(sane.json().request_id).toBe('client-abc.123');

    const unsafe = await t.app.inject({ method: 'GET', url: '/', headers: { 'x-request-id': 'a b\u0001<script>' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers and no framework banner', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    // Plain HTTP: no HSTS (test/security-headers.e2e-spec.ts covers the HTTPS set).
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
  });

  it('serves Swagger UI, the OpenAPI document and ReDoc', async () => {
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger-ui');
    const json = await t.app.inject({ method: 'GET', url: '/docs-json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/', '/health', '/health/ready']));
    const redoc = await t.app.inject({ method: 'GET', url: '/redoc' });
    expect(redoc.statusCode).toBe(200);
    expect(redoc.body).toContain('spec-url="/docs-json"');
  });
});

describe('foundation: docs can be switched off', () => {
  it('DOCS_ENABLED=false removes /docs, /docs-json and /redoc', async () => {
    const t = await createTestApp({ DOCS_ENABLED: 'false' });
    try {
      for (const url of ['/docs', '/docs-json', '/redoc']) {
        expectErrorBody(await t.app.inject({ method: 'GET', url }), 404, 'NOT_FOUND');
      }
    } finally {
      await t.close();
    }
  });
});
