import { randomBytes } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory } from './support/factories';

/** One sample of the Prometheus text format: `name{a="x",b="y"} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2];
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics (Prometheus)', () => {
  const TOKEN = randomBytes(24).toString('base64url');
  let t: TestApp;
  let factory: Factory;

  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN, RATE_LIMIT_REFRESH_IP: '2/60' });
    factory = new Factory(t.app);
  });
  afterAll(() => t.close());

  async function scrape(): Promise<{ res: InjectResponse; samples: Sample[] }> {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect({ status: res.statusCode, type: res.headers['content-type'] }).toEqual({
      status: 200,
      type: expect.stringMatching(/^text\/plain; version=0\.0\.4/),
    });
    return { res, samples: parseMetrics(res.body) };
  }

  it('refuses a scrape without the bearer token, or with a wrong one (401), and serves it with the token', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expectErrorBody(none, 401, 'UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body).not.toMatch(/http_request_duration_seconds/);
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, 'Bearer ']) {
      const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
      expectErrorBody(wrong, 401, 'UNAUTHENTICATED');
    }
    const { res, samples } = await scrape();
    expect(res.body).toMatch(/^# HELP /m);
    expect(total(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(total(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts requests by route template and status, cache lookups, rate-limit refusals, tenant connections and the MongoDB pool', async () => {
    const tenant = await factory.tenant();
    const before = (await scrape()).samples;
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/health' });
      expect(res.json()).toEqual({ status: 'ok' });
    }
    for (let i = 0; i < 2; i++) {
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: tenant.admin.auth });
      expect(me.json()).toEqual(expect.objectContaining({ email: tenant.admin.email }));
    }
    const refreshCodes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh-token',
        payload: { refresh_token: `x${i}` },
      });
      refreshCodes.push(res.statusCode);
    }
    expect(refreshCodes).toEqual([401, 401, 429, 429]);
    const after = (await scrape()).samples;
    const delta = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    expect(delta('http_request_duration_seconds_count', { method: 'GET', route: '/health', status: '200' })).toBe(3);
    expect(delta('http_request_duration_seconds_count', { route: '/api/v1/auth/me', status: '200' })).toBe(2);
    expect(delta('http_request_duration_seconds_count', { route: '/api/v1/auth/refresh-token', status: '429' })).toBe(
      2,
    );
    expect(delta('http_request_duration_seconds_sum', { route: '/health' })).toBeGreaterThan(0);
    expect(delta('rate_limit_exceeded_total', { limit: 'refreshIp' })).toBe(2);
    // Each authenticated request reads the account state and the profile through PlatformCache.
    expect(delta('platform_cache_lookups_total')).toBeGreaterThanOrEqual(2);
    expect(total(after, 'platform_cache_lookups_total', { result: 'hit' })).toBeGreaterThan(0);
    expect(total(after, 'platform_cache_lookups_total', { result: 'miss' })).toBeGreaterThan(0);
    expect(total(after, 'tenant_connections_cached')).toBeGreaterThanOrEqual(1);
    // The pool gauge follows checkout/checkin events: back to 0 between requests; connections were opened.
    expect(after.find((s) => s.name === 'mongodb_pool_checked_out_connections')?.value).toBe(0);
  });

  it('keeps label values bounded: 50 project ids give one route value, unmatched URLs one value, no tenant or user id anywhere', async () => {
    const tenant = await factory.tenant();
    const projectId = await factory.project(tenant.admin);
    const ids = [projectId, ...Array.from({ length: 49 }, () => randomBytes(12).toString('hex'))];
    for (const id of ids) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/projects/${id}`, headers: tenant.admin.auth });
      if (id === projectId) expect(res.json()).toEqual(expect.objectContaining({ id: projectId }));
      else expectErrorBody(res, 404, 'PROJECT_NOT_FOUND');
    }
    const unmatched = Array.from({ length: 20 }, () => `/no-such-route/${randomBytes(6).toString('hex')}`);
    for (const url of unmatched) expectErrorBody(await t.app.inject({ method: 'GET', url }), 404, 'NOT_FOUND');

    const { res, samples } = await scrape();
    const routes = new Set(
      samples.filter((s) => s.name === 'http_request_duration_seconds_count').map((s) => s.labels.route),
    );
    expect([...routes].filter((r) => r.includes('projects/'))).toEqual(['/api/v1/projects/:project_id']);
    expect([...routes].filter((r) => r.startsWith('/no-such-route'))).toEqual([]);
    expect(routes).toContain('unmatched');
    expect(
      total(samples, 'http_request_duration_seconds_count', { route: '/api/v1/projects/:project_id', status: '404' }),
    ).toBe(49);
    for (const secret of [
      ...ids,
      ...unmatched.map((u) => u.split('/')[2]),
      tenant.tenantId,
      tenant.admin.id,
      tenant.domain,
    ]) {
      expect(res.body).not.toContain(secret);
    }
    // Every label value of every series is one of a small, known set of shapes.
    for (const s of samples) {
      for (const [key, value] of Object.entries(s.labels)) {
        expect(`${key}=${value}`).not.toMatch(/[0-9a-f]{24}|[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
    }
  });
});

describe('GET /metrics access without METRICS_TOKEN', () => {
  it('is open in test/development', async () => {
    const t = await createTestApp({ METRICS_TOKEN: undefined });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^http_request_duration_seconds_count\{/m);
    } finally {
      await t.close();
    }
  });

  it('answers 404 in production (never an open metrics endpoint by accident)', async () => {
    const t = await createTestApp({ NODE_ENV: 'production', METRICS_TOKEN: undefined, MAIL_DISABLED: 'true' });
    try {
      const res = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer anything-at-all-here' },
      });
      expectErrorBody(res, 404, 'NOT_FOUND');
      expect(res.body).not.toMatch(/process_cpu/);
    } finally {
      await t.close();
    }
  });
});
