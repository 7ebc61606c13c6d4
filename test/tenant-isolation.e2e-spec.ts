import { randomBytes } from 'node:crypto';
import type { Response as InjectResponse } from 'light-my-request';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, strongPassword } from './support/factories';

/**
 * Cross-tenant isolation with marker data: tenant B's every text field carries a random marker;
 * tenant A's admin and user then call every read and write route, naming B's ids in the path and
 * claiming B's tenant through `X-Tenant-ID`, `?tenant_id=` and a `tenant_id` body field. No
 * response may carry B's markers or ids, no write may land, and B must read back byte for byte
 * the same. Then: concurrent requests of five tenants each reach their own database.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const marker = () => `mk${randomBytes(8).toString('hex')}`;
const bearer = (s: Session) => ({ authorization: `Bearer ${s.tokens.access_token}` });

interface Route {
  method: Method;
  url: string;
  body?: Record<string, unknown>;
  /** The path names one of B's ids: it must be refused (403/404/422). */
  targetsB: boolean;
  /** A body that depends on the caller (instead of `body`). */
  bodyFor?: (caller: Session) => Record<string, unknown>;
  /** What counts as refused, when `targetsB` (default 403, 404, 422). */
  refusedWith?: number[];
  /** A write in the caller's own tenant: it must land there, and only there. */
  landsInA?: (res: InjectResponse, caller: Session) => Promise<boolean>;
}

describe('tenant isolation', () => {
  let t: TestApp;
  let f: Factory;
  const totals = { requests: 0, leaks: 0, crossWrites: 0 };

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
  });
  afterAll(async () => {
    console.log(
      `isolation: ${totals.requests} requests, ${totals.leaks} leaks, ${totals.crossWrites} cross-tenant writes`,
    );
    await t.close();
  });

  const call = (method: Method, url: string, session: Session | null, payload?: object, headers = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...(session ? bearer(session) : {}), ...headers },
      ...(payload ? { payload } : {}),
    });

  async function ok(method: Method, url: string, session: Session, payload?: object): Promise<InjectResponse> {
    const res = await call(method, url, session, payload);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  }

  /** Tenant B, created by the superadmin so that every text field can carry a marker. */
  async function markedTenant(superadmin: Session) {
    const markers: string[] = [];
    const mk = () => {
      const m = marker();
      markers.push(m);
      return m;
    };
    const adminEmail = `${mk()}@example.com`;
    const adminPassword = strongPassword();
    const created = await ok('POST', '/api/v1/tenants', superadmin, {
      name: `Tenant ${mk()}`,
      domain: `b-${mk()}`,
      email: `${mk()}@example.com`,
      admin_name: `Admin ${mk()}`,
      admin_password: adminPassword,
      admin_email: adminEmail,
    });
    const tenantId: string = created.json().id;
    await ok('PATCH', `/api/v1/tenants/${tenantId}`, superadmin, { settings: { note: mk(), nested: { tag: mk() } } });
    const adminId: string = (await ok('GET', `/api/v1/tenants/${tenantId}/users`, superadmin)).json().items[0].id;
    const admin = await f.session(adminEmail, adminPassword, adminId);

    const userIds = [adminId];
    const members: Session[] = [];
    for (const role of ['user', 'tenant_admin'] as const) {
      const email = `${mk()}@example.com`;
      const password = strongPassword();
      const res = await ok('POST', '/api/v1/users', admin, { email, password, full_name: `Member ${mk()}`, role });
      userIds.push(res.json().id);
      members.push(await f.session(email, password, res.json().id));
    }
    const projectIds: string[] = [];
    for (const author of [admin, admin, members[0]]) {
      const res = await ok('POST', '/api/v1/projects', author, {
        name: `Project ${mk()}`,
        description: `About ${mk()}`,
      });
      projectIds.push(res.json().id);
    }
    const ids = [tenantId, ...userIds, ...projectIds];
    return { tenantId, domain: created.json().domain as string, admin, userIds, projectIds, markers, ids };
  }

  it("A's admin and A's user neither see nor change B, whatever tenant they claim", async () => {
    const superadmin = await f.superadminSession();
    const a: TenantSession = await f.tenant();
    const aUser = await f.member(a);
    await f.project(a.admin);
    const b = await markedTenant(superadmin);
    const forbidden = [...b.markers, ...b.ids];

    /** Every read of B's data, with B's own admin (and the superadmin for the platform views). */
    async function snapshotB(): Promise<Record<string, string>> {
      const reads: [string, Session][] = [
        ['/api/v1/auth/me', b.admin],
        ['/api/v1/users/me', b.admin],
        ['/api/v1/users?limit=100', b.admin],
        ['/api/v1/projects?limit=100', b.admin],
        [`/api/v1/tenants/${b.tenantId}`, b.admin],
        ...b.userIds.map((id): [string, Session] => [`/api/v1/users/${id}`, b.admin]),
        ...b.projectIds.map((id): [string, Session] => [`/api/v1/projects/${id}`, b.admin]),
        [`/api/v1/tenants/${b.tenantId}/users?limit=100`, superadmin],
      ];
      // Status and raw body: a lost record shows up as a difference, not as a crash of the test.
      const snapshot: Record<string, string> = {};
      for (const [url, who] of reads) {
        const res = await call('GET', url, who);
        snapshot[url] = `${res.statusCode} ${res.body}`;
      }
      const all = (await ok('GET', '/api/v1/tenants?limit=100', superadmin)).json().items;
      snapshot['tenant in the platform list'] = JSON.stringify(all.find((x: { id: string }) => x.id === b.tenantId));
      return snapshot;
    }
    const before = await snapshotB();
    expect(Object.entries(before).filter(([, v]) => !/^(200 |\{)/.test(v))).toEqual([]);
    // The snapshot is only worth comparing if it holds what B was given.
    for (const m of b.markers) expect(Object.values(before).join('\n')).toContain(m);

    const bp = b.projectIds;
    const bu = b.userIds;
    const routes: Route[] = [
      // reads
      { method: 'GET', url: '/api/v1/projects', targetsB: false },
      { method: 'GET', url: '/api/v1/users', targetsB: false },
      { method: 'GET', url: '/api/v1/users/me', targetsB: false },
      { method: 'GET', url: '/api/v1/auth/me', targetsB: false },
      { method: 'GET', url: '/api/v1/tenants', targetsB: false },
      { method: 'GET', url: `/api/v1/tenants/${b.tenantId}`, targetsB: true },
      { method: 'GET', url: `/api/v1/tenants/${b.tenantId}/users`, targetsB: true },
      ...bp.map((id): Route => ({ method: 'GET', url: `/api/v1/projects/${id}`, targetsB: true })),
      ...bu.map((id): Route => ({ method: 'GET', url: `/api/v1/users/${id}`, targetsB: true })),
      ...bu.map((id): Route => ({ method: 'GET', url: `/api/v1/tenants/${b.tenantId}/users/${id}`, targetsB: true })),
      // writes naming B's ids
      ...bp.map((id): Route => ({
        method: 'PATCH',
        url: `/api/v1/projects/${id}`,
        body: { name: 'hijacked', description: 'hijacked' },
        targetsB: true,
      })),
      ...bp.map((id): Route => ({ method: 'DELETE', url: `/api/v1/projects/${id}`, targetsB: true })),
      ...bu.map((id): Route => ({
        method: 'PATCH',
        url: `/api/v1/users/${id}`,
        body: { full_name: 'hijacked', role: 'user', is_active: false },
        targetsB: true,
      })),
      ...bu.map((id): Route => ({ method: 'DELETE', url: `/api/v1/users/${id}`, targetsB: true })),
      {
        method: 'PATCH',
        url: `/api/v1/tenants/${b.tenantId}`,
        body: { name: 'Hijacked', status: 'suspended' },
        targetsB: true,
      },
      { method: 'PUT', url: `/api/v1/tenants/${b.tenantId}`, body: { name: 'Hijacked' }, targetsB: true },
      { method: 'DELETE', url: `/api/v1/tenants/${b.tenantId}`, targetsB: true },
      {
        method: 'POST',
        url: `/api/v1/tenants/${b.tenantId}/users`,
        body: { email: `intruder-${marker()}@example.com`, password: strongPassword(), role: 'tenant_admin' },
        targetsB: true,
      },
      ...bu.map((id): Route => ({
        method: 'PATCH',
        url: `/api/v1/tenants/${b.tenantId}/users/${id}`,
        body: { full_name: 'hijacked' },
        targetsB: true,
      })),
      ...bu.map((id): Route => ({
        method: 'DELETE',
        url: `/api/v1/tenants/${b.tenantId}/users/${id}`,
        targetsB: true,
      })),
      // A's credentials presented at B's door
      {
        method: 'POST',
        url: '/api/v1/auth/login',
        bodyFor: (caller) => ({ email: caller.email, password: caller.password, tenant: b.domain }),
        targetsB: true,
        refusedWith: [401, 422],
      },
      // writes in the caller's own tenant, while claiming B's: they must land in A
      {
        method: 'POST',
        url: '/api/v1/projects',
        body: { name: 'made in A', description: 'claims B' },
        targetsB: false,
        landsInA: async (res) => (await call('GET', `/api/v1/projects/${res.json().id}`, a.admin)).statusCode === 200,
      },
      {
        method: 'POST',
        url: '/api/v1/users',
        body: { email: `made-in-a-${marker()}@example.com`, password: strongPassword() },
        targetsB: false,
        landsInA: async (res) => (await call('GET', `/api/v1/users/${res.json().id}`, a.admin)).statusCode === 200,
      },
      {
        method: 'PATCH',
        url: '/api/v1/users/me',
        body: { full_name: 'Still in A' },
        targetsB: false,
        landsInA: async (res, caller) => {
          const me = (await call('GET', '/api/v1/auth/me', caller)).json();
          return res.json().tenant?.id === a.tenantId && me.full_name === 'Still in A' && me.id === caller.id;
        },
      },
    ];

    const leaks: string[] = [];
    const crossWrites: string[] = [];
    const unexpected: string[] = [];
    let requests = 0;
    const callers: [string, Session][] = [
      ["A's admin", a.admin],
      ["A's user", aUser],
    ];
    for (const route of routes) {
      for (const [who, session] of callers) {
        const base = route.bodyFor ? route.bodyFor(session) : route.body;
        const variants: [string, string, Record<string, unknown> | undefined, Record<string, string>][] = [
          ['plain', route.url, base, {}],
          ['X-Tenant-ID', route.url, base, { 'x-tenant-id': b.tenantId }],
          [
            'tenant_id query/body',
            `${route.url}${route.url.includes('?') ? '&' : '?'}tenant_id=${b.tenantId}`,
            base && { ...base, tenant_id: b.tenantId },
            {},
          ],
        ];
        for (const [variant, url, body, headers] of variants) {
          // Fresh unique values per request (an email may be created once).
          const payload = body && JSON.parse(JSON.stringify(body).replace(/made-in-a-\w+@/, `made-in-a-${marker()}@`));
          const res = await call(route.method, url, session, payload, headers);
          requests++;
          const what = `${who} ${route.method} ${url} [${variant}] -> ${res.statusCode}`;
          const sent = `${url} ${JSON.stringify(headers)} ${JSON.stringify(payload ?? null)}`;
          // An error may repeat an id the caller itself sent; nothing else of B, ever.
          const echoable = res.statusCode >= 400 ? forbidden.filter((s) => sent.includes(s)) : [];
          const received = `${JSON.stringify(res.headers)} ${res.body}`;
          const found = forbidden.filter((s) => !echoable.includes(s) && received.includes(s));
          if (found.length) leaks.push(`${what}: carries ${found.join(', ')}: ${res.body.slice(0, 300)}`);

          if (res.statusCode >= 500) unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
          if (res.statusCode >= 400) {
            try {
              expectErrorBody(res, res.statusCode, String(res.json().code));
            } catch (err) {
              unexpected.push(`${what}: not the error shape: ${(err as Error).message.slice(0, 200)}`);
            }
          }
          const refused = (route.refusedWith ?? [403, 404, 422]).includes(res.statusCode);
          if (route.targetsB && !refused) {
            (route.method === 'GET' ? leaks : crossWrites).push(`${what}: not refused: ${res.body.slice(0, 300)}`);
          }
          if (variant === 'tenant_id query/body' && body && res.statusCode !== 422 && res.statusCode !== 403)
            unexpected.push(`${what}: a tenant_id body field must be refused (422): ${res.body.slice(0, 300)}`);
          if (route.landsInA && res.statusCode < 300 && !(await route.landsInA(res, session)))
            crossWrites.push(`${what}: did not land in A: ${res.body.slice(0, 300)}`);
        }
      }
    }

    const after = await snapshotB();
    for (const key of Object.keys(before)) {
      if (after[key] !== before[key])
        crossWrites.push(`B changed: ${key}\n  before ${before[key]}\n  after  ${after[key]}`);
    }

    totals.requests += requests;
    totals.leaks += leaks.length;
    totals.crossWrites += crossWrites.length;
    expect({ leaks, crossWrites, unexpected }).toEqual({ leaks: [], crossWrites: [], unexpected: [] });
    expect(requests).toBe(routes.length * 2 * 3);
  });

  it('concurrent requests of different tenants each reach their own database', async () => {
    const tenants = await Promise.all(Array.from({ length: 5 }, () => f.tenant()));
    const tags = tenants.map(() => marker());
    const expectedNames: string[][] = tenants.map(() => []);
    const jobs: { k: number; kind: 'POST' | 'GET'; name?: string }[] = [];
    // 10 rounds over the 5 tenants, POST and GET alternating: 25 creations and 25 lists, interleaved.
    for (let round = 0; round < 10; round++) {
      for (let k = 0; k < tenants.length; k++) {
        if (round % 2 === 0) {
          const name = `${tags[k]} #${round}`;
          expectedNames[k].push(name);
          jobs.push({ k, kind: 'POST', name });
        } else {
          jobs.push({ k, kind: 'GET' });
        }
      }
    }
    const results = await Promise.all(
      jobs.map((job) =>
        job.kind === 'POST'
          ? call('POST', '/api/v1/projects', tenants[job.k].admin, { name: job.name, description: tags[job.k] })
          : call('GET', '/api/v1/projects?limit=100', tenants[job.k].admin),
      ),
    );
    let requests = results.length;

    const leaks: string[] = [];
    const crossWrites: string[] = [];
    const unexpected: string[] = [];
    const othersOf = (k: number) => [
      ...tags.filter((_, j) => j !== k),
      ...tenants.filter((_, j) => j !== k).flatMap((x) => [x.tenantId, x.admin.id]),
    ];
    results.forEach((res, i) => {
      const { k, kind, name } = jobs[i];
      const what = `tenant ${k} ${kind} #${i} -> ${res.statusCode}`;
      const found = othersOf(k).filter((s) => res.body.includes(s));
      if (found.length) leaks.push(`${what}: carries ${found.join(', ')}`);
      if (kind === 'POST') {
        if (res.statusCode !== 201 || res.json().name !== name || res.json().created_by !== tenants[k].admin.id)
          unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
      } else if (res.statusCode !== 200) {
        unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
      } else {
        const strangers = res.json().items.filter((p: { name: string }) => !expectedNames[k].includes(p.name));
        if (strangers.length) leaks.push(`${what}: lists ${JSON.stringify(strangers)}`);
      }
    });

    for (let k = 0; k < tenants.length; k++) {
      const res = await call('GET', '/api/v1/projects?limit=100', tenants[k].admin);
      requests++;
      const page = res.json();
      const names = (page.items ?? []).map((p: { name: string }) => p.name).sort();
      const want = [...expectedNames[k]].sort();
      if (page.total !== want.length || JSON.stringify(names) !== JSON.stringify(want))
        crossWrites.push(
          `tenant ${k} holds ${page.total} projects ${JSON.stringify(names)}, expected ${JSON.stringify(want)}`,
        );
    }

    totals.requests += requests;
    totals.leaks += leaks.length;
    totals.crossWrites += crossWrites.length;
    expect({ leaks, crossWrites, unexpected }).toEqual({ leaks: [], crossWrites: [], unexpected: [] });
    expect(expectedNames.map((n) => n.length)).toEqual([5, 5, 5, 5, 5]);
  });
});
