import { createTestApp, type TestApp } from './support/test-app';

const HTTPS_ONLY_CSP = 'upgrade-insecure-requests';

function headersOf(res: { headers: Record<string, unknown> }): { hsts: unknown; csp: string; coop: unknown } {
  return {
    hsts: res.headers['strict-transport-security'],
    csp: String(res.headers['content-security-policy']),
    coop: res.headers['cross-origin-opener-policy'],
  };
}

// Promise: HSTS and `upgrade-insecure-requests` only on requests that came over HTTPS (TLS, or
// X-Forwarded-Proto: https from a proxy TRUST_PROXY names). On plain HTTP they would make a browser
// fetch the docs pages' assets over HTTPS, which nothing answers (a blank Swagger UI).
describe('security headers by scheme', () => {
  let untrusting: TestApp;
  let behindProxy: TestApp;

  beforeAll(async () => {
    untrusting = await createTestApp();
    // app.inject() comes from 127.0.0.1: "loopback" makes it the trusted proxy.
    behindProxy = await createTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await untrusting.close();
    await behindProxy.close();
  });

  it('plain HTTP: no HSTS, no upgrade-insecure-requests, the rest of the CSP unchanged', async () => {
    const { hsts, csp, coop } = headersOf(await untrusting.app.inject({ method: 'GET', url: '/docs' }));
    expect(hsts).toBeUndefined();
    expect(coop).toBeUndefined();
    expect(csp).not.toContain(HTTPS_ONLY_CSP);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
  });

  it('X-Forwarded-Proto: https from an untrusted peer changes nothing', async () => {
    const res = await untrusting.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(headersOf(res).hsts).toBeUndefined();
    expect(headersOf(res).csp).not.toContain(HTTPS_ONLY_CSP);
  });

  it('X-Forwarded-Proto: https from a trusted proxy gets HSTS and upgrade-insecure-requests', async () => {
    const res = await behindProxy.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
    const { hsts, csp, coop } = headersOf(res);
    expect(hsts).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(coop).toBe('same-origin');
    expect(csp).toContain(HTTPS_ONLY_CSP);
    expect(csp).toContain("default-src 'self'");
    // The same proxy forwarding plain HTTP gets the HTTP set.
    const plain = await behindProxy.app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'http' } });
    expect(headersOf(plain).hsts).toBeUndefined();
    expect(headersOf(plain).csp).not.toContain(HTTPS_ONLY_CSP);
  });

  it('no docs page loads anything from another origin', async () => {
    const { csp } = headersOf(await untrusting.app.inject({ method: 'GET', url: '/redoc' }));
    expect(csp).not.toMatch(/https?:\/\//);
    const page = await untrusting.app.inject({ method: 'GET', url: '/redoc' });
    expect(page.body).toContain('<script type="module" src="/redoc/redoc.standalone.js">');
    const bundle = await untrusting.app.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.body).toContain('Version: 3.0.1');
  });
});
