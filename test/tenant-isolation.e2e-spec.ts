import { join } from 'node:path';
import type { Response as InjectResponse } from 'light-my-request';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import {
  type FixtureContext,
  type FixtureRegistry,
  ParamSet,
  loadFixtures,
  missingFixture,
} from './support/isolation-fixtures';
import { type MarkedTenant, marker, markedTenant } from './support/marked-tenant';
import {
  type OpenApiDocument,
  type Operation,
  type Role,
  deriveBody,
  isTenantScoped,
  loadOperations,
} from './support/openapi-operations';

/**
 * Cross-tenant isolation, generated from the OpenAPI document (`/docs-json`): every bearer
 * operation of every module is probed by tenant A's admin, A's user, and A's API keys (an admin-role
 * and a user-role key, `X-API-Key`), with no list of routes here.
 *
 * Tenant B's every text field carries a random marker. Path parameters come from the per-module
 * fixture files (`src/modules/<module>/<module>.e2e-fixtures.ts`, test/support/isolation-fixtures.ts);
 * bodies from those files or derived from the request schema. Each probe is sent three ways: plain,
 * claiming B through `X-Tenant-ID`, and through `?tenant_id=` plus a `tenant_id` body field.
 *
 * - Tenant-scoped operations (roles include tenant_admin or user), naming B's ids in the path:
 *   refused (403/404/422). The same with A's own ids: the claim changes nothing, and a write lands
 *   in A (read back through the matching GET). Without path parameters: the call runs in A.
 * - Superadmin-only operations (a superadmin naming B is allowed by design): tenant callers get 403.
 * - No response carries B's markers or ids (an error may repeat an id the caller sent), and B reads
 *   back byte for byte the same afterwards, through every GET of the document.
 * Then: concurrent requests of five tenants, on every collection of the document, each reach their
 * own database.
 */

type Method = Operation['method'];
const REFUSED = [403, 404, 422];
const VARIANTS = ['plain', 'X-Tenant-ID', 'tenant_id query/body'] as const;
type Variant = (typeof VARIANTS)[number];

describe('tenant isolation (generated from the OpenAPI document)', () => {
  let t: TestApp;
  let f: Factory;
  let doc: OpenApiDocument;
  let ops: Operation[];
  let registry: FixtureRegistry;
  const totals = { requests: 0, leaks: 0, crossWrites: 0, operations: 0 };

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.app);
    ({ doc, ops } = await loadOperations(t.app));
    registry = loadFixtures(join(__dirname, '..'));
  });
  afterAll(async () => {
    console.log(
      `isolation: ${totals.requests} requests, ${totals.leaks} leaks, ${totals.crossWrites} cross-tenant writes, ` +
        `${totals.operations} operations probed`,
    );
    await t.close();
  });

  const call = (method: Method, url: string, session: Session | null, payload?: object, headers = {}) =>
    t.app.inject({
      method,
      url,
      headers: { ...(session ? session.auth : {}), ...headers },
      ...(payload ? { payload } : {}),
    });

  const request: FixtureContext['request'] = async (method, url, session, body) => {
    const res = await call(method, url, session, body);
    if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? res.json() : { id: '' };
  };

  /** Every bearer operation: tenant-scoped ones and superadmin-only ones alike. */
  const probed = () => ops.filter((op) => op.roles !== null);

  function missingFixtures(): string[] {
    return probed().flatMap((op) =>
      op.params.filter((p) => !registry.params.has(p)).map((p) => `${op.key}: ${missingFixture(p)}`),
    );
  }

  /** The body a probe sends: the fixture file's, or one derived from the request schema. */
  function bodyFor(op: Operation, ctx: Omit<FixtureContext, 'param'>): Record<string, unknown> | undefined {
    if (!op.body) return undefined;
    const fixture = registry.bodies.get(op.key);
    if (fixture) return fixture.make({ ...ctx, param: () => Promise.reject(new Error('no params in a body')) });
    return deriveBody(doc, op.body, ctx.marker, op.key) as Record<string, unknown>;
  }

  /** `?limit=` at its maximum when the operation pages, so a snapshot or a list check sees everything. */
  const fullPage = (op: Operation | undefined, url: string) =>
    op?.query.limit ? `${url}?limit=${(op.query.limit as { maximum?: number }).maximum ?? 100}` : url;

  const getAt = (path: string) => ops.find((o) => o.method === 'GET' && o.path === path);
  const allows = (op: Operation, role: Role) => op.roles?.includes(role) ?? false;

  it('has a fixture for every path parameter of every probed operation', () => {
    expect(missingFixtures()).toEqual([]);
    expect(probed().filter(isTenantScoped).length).toBeGreaterThan(0);
  });

  it("A's admin and A's user neither see nor change B, whatever tenant they claim", async () => {
    expect(missingFixtures()).toEqual([]);
    const superadmin = await f.superadminSession();
    const a = await f.tenant();
    const aUser = await f.member(a);
    const [aAdminKey, aUserKey] = [await f.apiKey(a, 'tenant_admin'), await f.apiKey(a, 'user')];
    const b: MarkedTenant = await markedTenant(t.app, f, superadmin);
    const aMarker = () => marker('ia'); // A's own text: never one of B's markers
    const baseA = (session: Session) => ({ tenantId: a.tenantId, session, admin: a.admin, marker: aMarker, request });

    const params = [...new Set(probed().flatMap((op) => op.params))];
    // Two sets of B's things: one made by B's admin, one by B's plain member.
    const bSets = [b.admin, b.member].map(
      (session) => new ParamSet(registry, { tenantId: b.tenantId, session, admin: b.admin, marker: b.mk, request }),
    );
    for (const set of bSets) for (const p of params) b.ids.push(await set.get(p));
    const aSet = new ParamSet(registry, baseA(a.admin));
    for (const p of params) await aSet.get(p);
    const forbidden = [...new Set([...b.markers, ...b.ids])];

    /** Every GET of the document, read as B (or the superadmin for the platform's views of B). */
    async function snapshotB(): Promise<Record<string, string>> {
      const snapshot: Record<string, string> = {};
      for (const op of ops.filter(
        (o) => o.method === 'GET' && o.roles !== null && !registry.notSnapshotted.has(o.key),
      )) {
        const [who, reader] = allows(op, 'tenant_admin')
          ? ['B admin', b.admin]
          : allows(op, 'user')
            ? ['B member', b.member]
            : ['superadmin', superadmin];
        const urls = op.params.length ? await Promise.all(bSets.map((s) => s.url(op.path))) : [op.path];
        for (const url of new Set(urls.map((u) => fullPage(op, u)))) {
          const res = await call('GET', url, reader);
          let body = res.body;
          // A platform-wide list (all tenants): only B's entries are B's data.
          if (reader === superadmin && !op.params.length && res.statusCode === 200 && Array.isArray(res.json().items))
            body = JSON.stringify(res.json().items.filter((i: unknown) => JSON.stringify(i).includes(b.tenantId)));
          // An error body differs by its request id alone: compared without it.
          if (res.statusCode >= 400) body = JSON.stringify({ ...res.json(), request_id: undefined });
          // An answer that changes by being read (a module's stable view of it).
          const view = registry.stableViews.get(op.key);
          if (view && res.statusCode === 200) body = JSON.stringify(view(res.json()));
          // Status and raw body: a lost record shows up as a difference, not as a crash of the test.
          snapshot[`${who} GET ${url}`] = `${res.statusCode} ${body}`;
        }
      }
      return snapshot;
    }
    const before = await snapshotB();
    // B was never moved (one cluster here): its move reads 404 TENANT_MOVE_NOT_FOUND, compared like the rest.
    const neverMade = (v: string) => v.startsWith('404 ') && v.includes('"code":"TENANT_MOVE_NOT_FOUND"');
    expect(Object.entries(before).filter(([, v]) => !v.startsWith('200 ') && !neverMade(v))).toEqual([]);
    // The snapshot is only worth comparing if it holds what B was given (and the fixtures marked).
    const seen = Object.values(before).join('\n');
    expect(b.markers.filter((m) => !seen.includes(m))).toEqual([]);
    expect(forbidden.length).toBeGreaterThan(b.markers.length);

    const leaks: string[] = [];
    const crossWrites: string[] = [];
    const unexpected: string[] = [];
    let requests = 0;
    /** Tenant-scoped operations with path parameters that some caller could use in A (positive control). */
    const usableInA = new Set<string>();

    /** After a write, the caller may have ended its own sessions (logout-all): log in again. */
    async function keepAlive(session: Session): Promise<void> {
      if ((await call('GET', '/api/v1/auth/me', session)).statusCode === 401)
        Object.assign(session, await f.session(session.email, session.password, session.id));
    }

    /** A 2xx write of A's: it must be readable in A, through the GET at the same (or the item) path. */
    async function landedInA(
      op: Operation,
      url: string,
      res: InjectResponse,
      caller: Session,
      body?: Record<string, unknown>,
    ): Promise<string | null> {
      const path = url.split('?')[0];
      const readBack = async (target: string) => {
        const mine = await call('GET', target, caller);
        return mine.statusCode === 200 ? mine : call('GET', target, a.admin);
      };
      if (op.method === 'POST') {
        const id = res.body ? res.json()?.id : undefined;
        const item = ops.find((o) => o.method === 'GET' && new RegExp(`^${op.path}/\\{\\w+\\}$`).test(o.path));
        if (!id || !item) return null; // nothing to read back; B's snapshot still proves nothing landed there
        const back = await readBack(`${path}/${id}`);
        return back.statusCode === 200 && back.json().id === id ? null : `${path}/${id} reads ${back.statusCode}`;
      }
      if (!getAt(op.path)) return null;
      const back = await readBack(path);
      if (op.method === 'DELETE')
        return back.statusCode === 404 ? null : `deleted, yet GET ${path} answers ${back.statusCode}`;
      if (back.statusCode !== 200) return `GET ${path} answers ${back.statusCode}`;
      // Values the write echoed (not a password) must be what A now reads.
      const written = Object.values(body ?? {}).filter(
        (v): v is string => typeof v === 'string' && res.body.includes(v),
      );
      const missing = written.filter((v) => !back.body.includes(v));
      return missing.length ? `GET ${path} lacks ${missing.join(', ')}` : null;
    }

    interface Probe {
      op: Operation;
      who: string;
      caller: Session;
      path: string;
      variant: Variant;
      /** A's own call (its result must land in A) or one naming B's ids (it must be refused). */
      target: 'A' | 'B';
    }

    async function probe(p: Probe): Promise<number> {
      const { op, who, caller, variant } = p;
      const body = bodyFor(op, baseA(caller));
      let url = p.path;
      let payload = body;
      let headers: Record<string, string> = {};
      if (variant === 'X-Tenant-ID') headers = { 'x-tenant-id': b.tenantId };
      if (variant === 'tenant_id query/body') {
        url = `${url}${url.includes('?') ? '&' : '?'}tenant_id=${b.tenantId}`;
        payload = body && { ...body, tenant_id: b.tenantId };
      }
      const res = await call(op.method, url, caller, payload, headers);
      requests++;
      const status = res.statusCode;
      const what = `${who} ${op.method} ${url} [${variant}] -> ${status}`;
      const sent = `${url} ${JSON.stringify(headers)} ${JSON.stringify(payload ?? null)}`;
      // An error may repeat an id the caller itself sent; nothing else of B, ever.
      const echoable = status >= 400 ? forbidden.filter((s) => sent.includes(s)) : [];
      const received = `${JSON.stringify(res.headers)} ${res.body}`;
      const found = forbidden.filter((s) => !echoable.includes(s) && received.includes(s));
      if (found.length) leaks.push(`${what}: carries ${found.join(', ')}: ${res.body.slice(0, 300)}`);

      if (status >= 500) unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
      if (status >= 400) {
        try {
          expectErrorBody(res, status, String(res.json().code));
        } catch (err) {
          unexpected.push(`${what}: not the error shape: ${(err as Error).message.slice(0, 200)}`);
        }
      }
      if (!isTenantScoped(op)) {
        // Superadmin-only: a tenant member is refused by role, whatever it names or claims.
        if (status !== 403)
          (op.method === 'GET' ? leaks : crossWrites).push(`${what}: not refused: ${res.body.slice(0, 300)}`);
      } else if (p.target === 'B' && !REFUSED.includes(status)) {
        (op.method === 'GET' ? leaks : crossWrites).push(`${what}: not refused: ${res.body.slice(0, 300)}`);
      }
      if (variant === 'tenant_id query/body' && payload && status !== 422 && status !== 403)
        unexpected.push(`${what}: a tenant_id body field must be refused (422): ${res.body.slice(0, 300)}`);
      if (p.target === 'A' && status < 300) {
        if (op.method !== 'GET') {
          const problem = await landedInA(op, url, res, caller, body);
          if (problem) crossWrites.push(`${what}: did not land in A: ${problem}`);
          await keepAlive(caller);
        } else if (op.params.length && !res.body.includes(await aSet.get(op.params[op.params.length - 1]))) {
          unexpected.push(
            `${what}: does not show A's own ${op.params[op.params.length - 1]}: ${res.body.slice(0, 300)}`,
          );
        }
      }
      return status;
    }

    const callers: [string, Session][] = [
      ["A's admin", a.admin],
      ["A's user", aUser],
      // A key acts in its own tenant: the tenant comes from its record, never from what it claims.
      ["A's admin key", aAdminKey],
      ["A's user key", aUserKey],
    ];
    const probedOps = probed();
    totals.operations = probedOps.length;
    // The plan, counted before anything is sent: per operation and caller, each distinct URL of
    // B's ids and (tenant-scoped) A's own ids, or the bare path, three ways each; plus the logins.
    let expectedRequests = callers.length;
    for (const op of probedOps) {
      const bUrls = new Set(await Promise.all(bSets.map((set) => set.url(op.path)))).size;
      const targets = op.params.length ? bUrls + (isTenantScoped(op) ? 1 : 0) : 1;
      expectedRequests += callers.length * targets * VARIANTS.length;
    }
    for (const op of probedOps) {
      for (const [who, caller] of callers) {
        if (op.params.length) {
          // B's ids in the path (each distinct URL once: `{tenant_id}` alone is the same in both sets).
          for (const path of new Set(await Promise.all(bSets.map((s) => s.url(op.path))))) {
            for (const variant of VARIANTS) await probe({ op, who, caller, path, variant, target: 'B' });
          }
          if (!isTenantScoped(op)) continue;
          // A's own ids while claiming B: the same answer as without the claim, and writes land in A.
          const statuses: Partial<Record<Variant, number>> = {};
          for (const variant of VARIANTS) {
            // A write gets targets of its own (made by the caller where the fixture allows), so a
            // DELETE never takes away what a later probe reads.
            const set = op.method === 'GET' ? aSet : new ParamSet(registry, baseA(caller));
            const path = await set.url(op.path);
            statuses[variant] = await probe({ op, who, caller, path, variant, target: 'A' });
          }
          if ((statuses.plain ?? 500) < 300) usableInA.add(op.key);
          const claims = op.body
            ? [statuses['X-Tenant-ID']]
            : [statuses['X-Tenant-ID'], statuses['tenant_id query/body']];
          // A claim may be refused outright (422: an unknown query field); otherwise it changes nothing.
          if (claims.some((s) => s !== statuses.plain && s !== 422))
            unexpected.push(`${who} ${op.key} on A's ids: claiming B changed the answer ${JSON.stringify(statuses)}`);
        } else {
          // No ids to name: the call runs in A (reads show nothing of B's, writes land in A).
          for (const variant of VARIANTS) await probe({ op, who, caller, path: op.path, variant, target: 'A' });
        }
      }
    }
    // A refusal of B's ids only means something if the same call works on A's ids: otherwise it
    // may have been refused by validation (an unusable body) before any tenant check ran.
    for (const op of probedOps.filter((o) => isTenantScoped(o) && o.params.length && !usableInA.has(o.key))) {
      const file = (registry.bodies.get(op.key) ?? registry.params.get(op.params[op.params.length - 1]))?.file;
      unexpected.push(
        `${op.key}: neither A's admin nor A's user could call it on A's own ids; give a valid body or target in ${file}`,
      );
    }

    // A's credentials presented at B's door (a public route, so not among the generated probes).
    const persons = callers.filter(([, caller]) => !caller.apiKey);
    expectedRequests -= callers.length - persons.length;
    for (const [who, caller] of persons) {
      const res = await call('POST', '/api/v1/auth/login', null, {
        email: caller.email,
        password: caller.password,
        tenant: b.domain,
      });
      requests++;
      if (![401, 422].includes(res.statusCode))
        leaks.push(`${who} login at B's domain -> ${res.statusCode}: ${res.body}`);
      const found = forbidden.filter((s) => res.body.includes(s));
      if (found.length) leaks.push(`${who} login at B's domain carries ${found.join(', ')}`);
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
    expect(requests).toBe(expectedRequests);
    // Every tenant-scoped and superadmin-only operation of the document was probed.
    expect(probedOps.map((o) => o.key)).toEqual(ops.filter((o) => o.roles !== null).map((o) => o.key));
  });

  it('concurrent requests of different tenants each reach their own database', async () => {
    // Every collection of the document that a tenant_admin pages and creates in: POST P and GET P.
    const collections = ops.filter(
      (op) =>
        op.method === 'POST' &&
        !op.params.length &&
        isTenantScoped(op) &&
        allows(op, 'tenant_admin') &&
        getAt(op.path)?.query.limit !== undefined &&
        allows(getAt(op.path)!, 'tenant_admin'),
    );
    expect(collections.length).toBeGreaterThan(0);
    const tenants = await Promise.all(Array.from({ length: 5 }, () => f.tenant()));
    const tags = tenants.map(() => marker('tag'));
    const listUrl = (op: Operation) => fullPage(getAt(op.path), op.path);
    const list = async (op: Operation, k: number): Promise<string[]> => {
      const res = await call('GET', listUrl(op), tenants[k].admin);
      if (res.statusCode !== 200) throw new Error(`${listUrl(op)}: ${res.statusCode} ${res.body}`);
      return res.json().items.map((i: { id: string }) => i.id);
    };
    const existing = await Promise.all(collections.map((op) => Promise.all(tenants.map((_, k) => list(op, k)))));

    const jobs: { op: Operation; c: number; k: number; kind: 'POST' | 'GET' }[] = [];
    // 10 rounds over the tenants and collections, POST and GET alternating, all in flight together.
    for (let round = 0; round < 10; round++)
      for (let c = 0; c < collections.length; c++)
        for (let k = 0; k < tenants.length; k++)
          jobs.push({ op: collections[c], c, k, kind: round % 2 === 0 ? 'POST' : 'GET' });
    const results = await Promise.all(
      jobs.map(({ op, k, kind }) => {
        if (kind === 'GET') return call('GET', listUrl(op), tenants[k].admin);
        const ctx = { tenantId: tenants[k].tenantId, session: tenants[k].admin, admin: tenants[k].admin, request };
        return call('POST', op.path, tenants[k].admin, bodyFor(op, { ...ctx, marker: () => marker(tags[k]) }));
      }),
    );
    let requests = results.length;

    const leaks: string[] = [];
    const crossWrites: string[] = [];
    const unexpected: string[] = [];
    const created: string[][][] = collections.map(() => tenants.map(() => []));
    const othersOf = (k: number) => [
      ...tags.filter((_, j) => j !== k),
      ...tenants.filter((_, j) => j !== k).flatMap((x) => [x.tenantId, x.admin.id]),
    ];
    results.forEach((res, i) => {
      const { op, c, k, kind } = jobs[i];
      const what = `tenant ${k} ${kind} ${op.path} #${i} -> ${res.statusCode}`;
      const found = othersOf(k).filter((s) => res.body.includes(s));
      if (found.length) leaks.push(`${what}: carries ${found.join(', ')}`);
      if (kind === 'POST') {
        if (res.statusCode !== 201 || !res.json().id || !res.body.includes(tags[k]))
          unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
        else created[c][k].push(res.json().id);
      } else if (res.statusCode !== 200) {
        unexpected.push(`${what}: ${res.body.slice(0, 300)}`);
      }
    });

    for (let c = 0; c < collections.length; c++) {
      for (let k = 0; k < tenants.length; k++) {
        const ids = (await list(collections[c], k)).sort();
        requests++;
        const want = [...existing[c][k], ...created[c][k]].sort();
        if (JSON.stringify(ids) !== JSON.stringify(want))
          crossWrites.push(
            `tenant ${k} ${collections[c].path} holds ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`,
          );
      }
    }

    totals.requests += requests;
    totals.leaks += leaks.length;
    totals.crossWrites += crossWrites.length;
    expect({ leaks, crossWrites, unexpected }).toEqual({ leaks: [], crossWrites: [], unexpected: [] });
    expect(created.map((perTenant) => perTenant.map((ids) => ids.length))).toEqual(
      collections.map(() => [5, 5, 5, 5, 5]),
    );
  });
});
