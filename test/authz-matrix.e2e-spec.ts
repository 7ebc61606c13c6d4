import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import {
  CALLERS,
  type Caller,
  type Cell,
  type Expected,
  KEY_CALLERS,
  type MatrixRow,
  type World,
  isKeyCaller,
} from './support/authz-matrix';
import {
  DEFAULT_CODES,
  type Derived,
  actsOnOwnTargets,
  deriveRow,
  expected,
  fillPath,
  againstRoles,
  withKeyCells,
} from './support/authz-defaults';
import {
  type FixtureContext,
  type FixtureRegistry,
  ParamSet,
  loadFixtures,
  missingFixture,
} from './support/isolation-fixtures';
import { marker } from './support/marked-tenant';
import { type OpenApiDocument, type Operation, deriveBody, loadOperations } from './support/openapi-operations';

/**
 * The role x route matrix (CONVENTIONS.md "Tests"): every operation of the OpenAPI document x
 * {anonymous, user, tenant_admin, other_admin, superadmin, and the API keys user_key, admin_key,
 * other_admin_key} -> the expected status, and for errors
 * the documented body and code. No list of routes here: the rows live with their modules, in the
 * `matrix` of `src/modules/<module>/<module>.e2e-fixtures.ts` (test/support/authz-matrix.ts), and a
 * tenant-scoped operation without one gets a row derived from the document
 * (test/support/authz-defaults.ts). An operation with neither, or a row without an operation, fails.
 *
 * The world: tenant A with its admin (`tenant_admin`) and a plain member (`user`); tenant B whose
 * admin is `other_admin`; the app's superadmin. Path parameters come from the modules' fixtures
 * (the registry the isolation suite uses): in a cell a row gives, tenant A's things made once by
 * A's admin; in a derived cell whose role is admitted, the caller's own (fresh for a write).
 * Destructive rows get fresh targets (or a fresh caller) per call, so no cell changes another's.
 */

interface Plan {
  op: Operation;
  row?: MatrixRow;
  derived?: Derived;
  /** The expectation of every caller: the row's cell, else the derived one. */
  cells: Record<Caller, Expected>;
}

describe('authz matrix: every OpenAPI operation x every caller', () => {
  let t: TestApp;
  let w: World;
  let doc: OpenApiDocument;
  let ops: Operation[];
  let registry: FixtureRegistry;
  /** Why an operation has no complete row (explicit or derived). */
  const uncovered: string[] = [];
  const plans: Plan[] = [];

  const request: FixtureContext['request'] = async (method, url, session, body) => {
    const res = await w.inject(method, url, session, body);
    if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? res.json() : { id: '' };
  };
  /** A fixture context in tenant A, acting as `session`. */
  const inA = (session: Session): Omit<FixtureContext, 'param'> => ({
    tenantId: w.a.tenantId,
    session,
    admin: w.a.admin,
    marker: () => marker('mx'),
    request,
  });

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t.app);
    const superadmin = await f.superadminSession();
    const [a, b] = await Promise.all([f.tenant(), f.tenant()]);
    const user = await f.member(a);
    const keys = {
      user_key: await f.apiKey(a, 'user'),
      admin_key: await f.apiKey(a, 'tenant_admin'),
      other_admin_key: await f.apiKey(b, 'tenant_admin'),
    };
    registry = loadFixtures(join(__dirname, '..'));
    let shared: ParamSet | undefined;
    w = {
      app: t.app,
      f,
      a,
      b,
      user,
      superadmin,
      keys,
      param: (name) => (shared ??= new ParamSet(registry, inA(a.admin))).get(name),
      inject: (method, url, session, payload) =>
        t.app.inject({
          method: method as 'GET',
          url,
          headers: session ? session.auth : {},
          ...(payload ? { payload } : {}),
        }),
    };
    ({ doc, ops } = await loadOperations(t.app));

    for (const op of ops) {
      const row = registry.matrix.get(op.key)?.row;
      const derived = deriveRow(doc, op, ops);
      // Key callers are always derivable from the persons' cells (authz-defaults `keyCell`).
      const missing = CALLERS.filter((c) => !isKeyCaller(c) && row?.expect?.[c] === undefined);
      if (missing.length && typeof derived === 'string') {
        uncovered.push(
          `${op.key}: ${row ? `its row lacks ${missing.join(', ')}` : 'no row'} in a module's fixture file, ` +
            `and none can be derived: ${derived}`,
        );
        continue;
      }
      const fallback = typeof derived === 'string' ? undefined : derived;
      const succeeds = CALLERS.some((c) => row?.expect?.[c] !== undefined && expected(row.expect[c]).status < 300);
      if (row && succeeds && !row.ok && !fallback) {
        uncovered.push(`${op.key}: its row expects a success but has no \`ok\` check of the body`);
        continue;
      }
      const persons = Object.fromEntries(
        CALLERS.filter((c) => !isKeyCaller(c)).map((c) => [c, row?.expect?.[c] ?? fallback!.expect[c]]),
      );
      const cells = withKeyCells(op, persons, row);
      const missingParams = op.params.filter((p) => !registry.params.has(p));
      if (missingParams.length) {
        uncovered.push(...missingParams.map((p) => `${op.key}: ${missingFixture(p)}`));
        continue;
      }
      plans.push({ op, row, derived: fallback, cells });
    }
    // Tenant A's things exist before any cell runs (a list must show them).
    for (const name of new Set(plans.flatMap((p) => p.op.params))) await w.param(name);
  });
  afterAll(() => t.close());

  it("has exactly one row (a module's or a derived one) per documented operation", () => {
    const withoutOperation = [...registry.matrix]
      .filter(([key]) => !ops.some((op) => op.key === key))
      .map(([key, { file }]) => `${key}: a row in ${file}, but no such operation in the document`);
    expect({ uncovered, withoutOperation }).toEqual({ uncovered: [], withoutOperation: [] });
    expect(plans.length).toBe(ops.length);
  });

  it('documents each operation as it is guarded: bearer security iff anonymous is refused, every status listed', () => {
    const problems: string[] = [];
    for (const { op, cells, row } of plans) {
      const secured = op.roles !== null;
      if (secured !== (expected(cells.anonymous).status === 401))
        problems.push(
          `${op.key}: ${secured ? 'bearer' : 'no'} security but anonymous -> ${expected(cells.anonymous).status}`,
        );
      for (const caller of CALLERS) {
        const { status, code } = expected(cells[caller]);
        const response = op.responses[String(status)];
        if (!response) problems.push(`${op.key}: ${caller} -> ${status}, not a documented response`);
        else if (code && !DEFAULT_CODES[status] && !response.description?.includes(code))
          problems.push(`${op.key}: ${caller} -> ${status} ${code}, not named in "${response.description}"`);
      }
      // API keys: admitted iff the operation documents the apiKey scheme (refusals checked by againstRoles).
      if (op.apiKey && KEY_CALLERS.every((k) => expected(cells[k]).code === 'API_KEY_NOT_ALLOWED'))
        problems.push(`${op.key}: documents the apiKey scheme but refuses every key`);
      problems.push(...againstRoles(op, cells, row));
    }
    expect(problems).toEqual([]);
  });

  /** The body of a cell: the row's, the fixture file's, or one derived from the request schema. */
  async function bodyOf(plan: Plan, cell: Cell): Promise<Record<string, unknown> | undefined> {
    if (plan.row?.body) return plan.row.body(w, cell);
    if (!plan.op.body) return undefined;
    const ctx = inA(cell.session ?? w.a.admin);
    const fixture = registry.bodies.get(plan.op.key);
    if (fixture) return fixture.make({ ...ctx, param: () => Promise.reject(new Error('no params in a body')) });
    return deriveBody(doc, plan.op.body, ctx.marker, plan.op.key) as Record<string, unknown>;
  }

  it('answers every operation x caller as its row says, with the documented error body', async () => {
    const sessions: Record<Caller, Session | null> = {
      anonymous: null,
      user: w.user,
      tenant_admin: w.a.admin,
      other_admin: w.b.admin,
      superadmin: w.superadmin,
      ...w.keys,
    };
    /** The targets each admitted caller made itself, for reads (writes get fresh ones). */
    const own = new Map<Caller, ParamSet>();
    const mismatches: string[] = [];
    let requests = 0;
    let derivedCells = 0;
    for (const plan of plans) {
      const { op, row, derived } = plan;
      for (const caller of CALLERS) {
        // A key caller of an operation with a row acts on the row's targets, like the row's persons
        // (its cell is derived from theirs); without a row, on its own, like a derived person.
        const isDerived = isKeyCaller(caller) ? !row : row?.expect?.[caller] === undefined;
        derivedCells += isDerived ? 1 : 0;
        const cell: Cell = { caller, session: sessions[caller], params: {} };
        let targets: { get(name: string): Promise<string> } = { get: w.param };
        if (isDerived && actsOnOwnTargets(op, caller)) {
          const session = sessions[caller]!;
          if (op.method !== 'GET') targets = new ParamSet(registry, inA(session));
          else targets = own.get(caller) ?? own.set(caller, new ParamSet(registry, inA(session))).get(caller)!;
        }
        for (const p of op.params) cell.params[p] = await targets.get(p);
        await row?.fresh?.(w, cell);
        cell.body = await bodyOf(plan, cell);
        const res = await w.inject(op.method, fillPath(op.path, cell.params), cell.session, cell.body);
        requests++;
        const { status, code } = expected(plan.cells[caller]);
        const where = `${op.key} as ${caller}${isDerived ? ' (derived)' : ''}`;
        if (res.statusCode !== status) {
          mismatches.push(
            `${where}: expected ${status}${code ? ` ${code}` : ''}, got ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
          continue;
        }
        try {
          if (status >= 400) {
            expectErrorBody(res, status, code ?? '');
            if (status === 401) expect(res.headers['www-authenticate']).toBe('Bearer');
            await (row?.denied ?? derived?.denied)?.(cell, w);
          } else {
            const ok = row?.ok ?? derived?.ok;
            if (!ok) throw new Error(`no \`ok\` check in the row of ${op.key}`);
            await ok(res, cell, w);
          }
        } catch (err) {
          const message = stripVTControlCharacters((err as Error).message).replace(/\s+/g, ' ');
          mismatches.push(
            `${where}: ${status} as expected, but ${message.slice(0, 400)} (body ${res.body.slice(0, 300)})`,
          );
        }
      }
    }
    const derivedOps = plans.filter((p) => !p.row).length;
    console.log(
      `authz matrix: ${plans.length} operations x ${CALLERS.length} callers = ${requests} requests, ` +
        `${mismatches.length} mismatches; ${derivedOps} operations on derived rows (${derivedCells} derived cells)`,
    );
    expect(mismatches).toEqual([]);
    expect(requests).toBe(plans.length * CALLERS.length);
  });
});
