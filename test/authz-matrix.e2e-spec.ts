import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import type { Response as InjectResponse } from 'light-my-request';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession, strongPassword, uniqueEmail } from './support/factories';

/**
 * The role x route matrix (CONVENTIONS.md "Tests"): every operation of the OpenAPI document x
 * {anonymous, user, tenant_admin, other_admin, superadmin} -> the expected status, and for errors
 * the documented body and code. An operation without a row (or a row without an operation) fails.
 *
 * The world: tenant A with its admin (`tenant_admin`), a plain member (`user`) and a project made
 * by A's admin; tenant B whose admin is `other_admin`; the app's superadmin. Path parameters name
 * A's things: tenant_id = A, user_id = A's admin (so A's `user` reading it is not reading itself),
 * project_id = the project of A's admin. Destructive operations get fresh targets (or a fresh
 * caller of the same role) per call, so no cell changes what another cell sees.
 */

const CALLERS = ['anonymous', 'user', 'tenant_admin', 'other_admin', 'superadmin'] as const;
type Caller = (typeof CALLERS)[number];
/** A status, or a status and the error `code` (401 and 403 default to UNAUTHENTICATED and FORBIDDEN). */
type Expected = number | readonly [number, string];

interface World {
  f: Factory;
  a: TenantSession;
  user: Session;
  b: TenantSession;
  superadmin: Session;
  projectId: string;
}

/** One request of the matrix, built before it is sent. */
interface Cell {
  caller: Caller;
  /** Who sends it; null: no Authorization header. */
  session: Session | null;
  params: Record<string, string>;
  body?: Record<string, unknown>;
}

interface Row {
  expect: Record<Caller, Expected>;
  /** Fresh targets or a fresh caller for this one call (mutates the cell). */
  fresh?: (w: World, cell: Cell) => Promise<void>;
  /** A valid body, so that the guards (not validation) decide. */
  body?: (w: World, cell: Cell) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** What a success must look like (throws through `expect`). */
  ok: (res: InjectResponse, cell: Cell, w: World) => Promise<void> | void;
  /** For a refused destructive call: the target must still be there. */
  denied?: (cell: Cell, w: World) => Promise<void>;
}

/** The row's statuses in CALLERS order: anonymous, user, tenant_admin, other_admin, superadmin. */
function by(
  anonymous: Expected,
  user: Expected,
  tenant_admin: Expected,
  other_admin: Expected,
  superadmin: Expected,
): Record<Caller, Expected> {
  return { anonymous, user, tenant_admin, other_admin, superadmin };
}

const hex = () => randomBytes(5).toString('hex');
const bearer = (s: Session) => ({ authorization: `Bearer ${s.tokens.access_token}` });
const TENANT_404 = [404, 'TENANT_NOT_FOUND'] as const;
const USER_404 = [404, 'USER_NOT_FOUND'] as const;
const PROJECT_404 = [404, 'PROJECT_NOT_FOUND'] as const;

describe('authz matrix: every OpenAPI operation x every caller', () => {
  let t: TestApp;
  let w: World;
  /** `METHOD /path` -> the operation object of the OpenAPI document. */
  let documented: Map<string, { security?: unknown[]; responses: Record<string, { description?: string }> }>;

  const inject = (method: string, url: string, session: Session | null, payload?: object) =>
    t.app.inject({
      method: method as 'GET',
      url,
      headers: session ? bearer(session) : {},
      ...(payload ? { payload } : {}),
    });

  /** Another login of the same identity: a session of its own, the same account. */
  const relogin = (s: Session) => w.f.session(s.email, s.password, s.id);

  /** A new account with the caller's role and tenant, for calls that end all of a caller's sessions. */
  async function sameRoleAccount(caller: Caller): Promise<Session | null> {
    switch (caller) {
      case 'anonymous':
        return null;
      case 'user':
        return w.f.member(w.a);
      case 'tenant_admin':
        return w.f.member(w.a, 'tenant_admin');
      case 'other_admin':
        return w.f.member(w.b, 'tenant_admin');
      case 'superadmin': {
        const email = uniqueEmail('root2');
        const password = strongPassword();
        const res = await inject('POST', '/api/v1/auth/register', w.superadmin, {
          email,
          password,
          is_superadmin: true,
        });
        if (res.statusCode !== 201) throw new Error(`second superadmin: ${res.statusCode} ${res.body}`);
        return w.f.session(email, password, res.json().user.id);
      }
    }
  }

  async function expectStatusOf(method: string, url: string, session: Session, status: number): Promise<void> {
    const res = await inject(method, url, session);
    expect({ check: `${method} ${url}`, status: res.statusCode }).toEqual({ check: `${method} ${url}`, status });
  }

  const tokenPair = (res: InjectResponse) =>
    expect(res.json()).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'bearer',
      expires_in: expect.any(Number),
    });
  const noBody = (res: InjectResponse) => expect(res.body).toBe('');
  const ids = (res: InjectResponse): string[] => res.json().items.map((i: { id: string }) => i.id);
  const newUserBody = () => ({ email: uniqueEmail('new'), password: strongPassword(), full_name: 'New User' });
  const freshMemberOfA = async (world: World, cell: Cell) => {
    cell.params.user_id = (await world.f.member(world.a)).id;
  };

  const TABLE: Record<string, Row> = {
    // ---- public
    'GET /': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) => expect(res.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' }),
    },
    'GET /health': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) => expect(res.json()).toEqual({ status: 'ok' }),
    },
    'GET /health/ready': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) => expect(res.json()).toEqual({ status: 'ok', checks: { mongodb: 'up', redis: 'up' } }),
    },

    // ---- auth
    'POST /api/v1/auth/register': {
      expect: by(201, 201, 201, 201, 201),
      body: () => ({
        email: uniqueEmail('signup'),
        password: strongPassword(),
        org_name: `Signup ${hex()}`,
        full_name: 'Signup Admin',
      }),
      ok: (res, cell) =>
        expect(res.json()).toEqual({
          user: expect.objectContaining({ email: cell.body?.email, role: 'tenant_admin' }),
          tenant: expect.objectContaining({ name: cell.body?.org_name, status: 'active' }),
        }),
    },
    'POST /api/v1/auth/login': {
      expect: by(200, 200, 200, 200, 200),
      body: (world) => ({ email: world.user.email, password: world.user.password }),
      ok: tokenPair,
    },
    'POST /api/v1/auth/refresh-token': {
      expect: by(200, 200, 200, 200, 200),
      body: async (world) => ({
        refresh_token: (await world.f.login(world.user.email, world.user.password)).refresh_token,
      }),
      ok: (res, cell) => {
        tokenPair(res);
        expect(res.json().refresh_token).not.toBe(cell.body?.refresh_token);
      },
    },
    'POST /api/v1/auth/logout': {
      expect: by(401, 204, 204, 204, 204),
      // A session of the caller's own, ended by its refresh token.
      fresh: async (_w, cell) => {
        cell.session = cell.session && (await relogin(cell.session));
      },
      body: async (world, cell) => ({
        refresh_token: (cell.session?.tokens ?? (await world.f.login(world.user.email, world.user.password)))
          .refresh_token,
      }),
      ok: async (res, cell) => {
        noBody(res);
        const again = await inject('POST', '/api/v1/auth/refresh-token', null, cell.body);
        expectErrorBody(again, 401, 'INVALID_REFRESH_TOKEN');
      },
    },
    'POST /api/v1/auth/logout-all': {
      expect: by(401, 204, 204, 204, 204),
      // Ends every session of the account: a throwaway account with the caller's role and tenant.
      fresh: async (_w, cell) => {
        cell.session = await sameRoleAccount(cell.caller);
      },
      ok: async (res, cell) => {
        noBody(res);
        expectErrorBody(await inject('GET', '/api/v1/auth/me', cell.session), 401, 'UNAUTHENTICATED');
      },
    },
    'GET /api/v1/auth/me': {
      expect: by(401, 200, 200, 200, 200),
      ok: (res, cell) => {
        const role = cell.caller === 'superadmin' || cell.caller === 'user' ? cell.caller : 'tenant_admin';
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.session?.id, email: cell.session?.email, role }));
      },
    },
    'POST /api/v1/auth/change-password': {
      expect: by(401, 204, 204, 204, 204),
      fresh: async (_w, cell) => {
        cell.session = await sameRoleAccount(cell.caller);
      },
      body: (world, cell) => ({
        current_password: (cell.session ?? world.user).password,
        new_password: strongPassword(),
      }),
      ok: async (res, cell) => {
        noBody(res);
        await w.f.login(cell.session!.email, cell.body?.new_password as string);
      },
    },

    // ---- tenants (superadmin; GET one also for its members)
    'POST /api/v1/tenants': {
      expect: by(401, 403, 403, 403, 201),
      body: () => {
        const h = hex();
        return {
          name: `Matrix ${h}`,
          domain: `matrix-${h}`,
          email: uniqueEmail('contact'),
          admin_name: 'Matrix Admin',
          admin_password: strongPassword(),
        };
      },
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({ name: cell.body?.name, domain: cell.body?.domain, status: 'active' }),
        ),
    },
    'GET /api/v1/tenants': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res, _cell, world) => {
        expect(res.json()).toEqual(expect.objectContaining({ total: expect.any(Number), page: 1, size: 20 }));
        expect(ids(res)).toContain(world.a.tenantId);
      },
    },
    'GET /api/v1/tenants/{tenant_id}': {
      expect: by(401, 200, 200, TENANT_404, 200),
      ok: (res, _cell, world) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: world.a.tenantId, domain: world.a.domain })),
    },
    'PATCH /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 200),
      body: () => ({ name: `Renamed ${hex()}` }),
      ok: (res, cell, world) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: world.a.tenantId, name: cell.body?.name })),
    },
    'PUT /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 200),
      body: () => ({ name: `Replaced ${hex()}` }),
      ok: (res, cell, world) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: world.a.tenantId, name: cell.body?.name })),
    },
    'DELETE /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 204),
      // A throwaway tenant; `user` and `tenant_admin` are its own members, so they try to delete their tenant.
      fresh: async (world, cell) => {
        const doomed = await world.f.tenant();
        cell.params.tenant_id = doomed.tenantId;
        if (cell.caller === 'user') cell.session = await world.f.member(doomed);
        if (cell.caller === 'tenant_admin') cell.session = doomed.admin;
      },
      ok: async (res, cell, world) => {
        noBody(res);
        const gone = await inject('GET', `/api/v1/tenants/${cell.params.tenant_id}`, world.superadmin);
        expectErrorBody(gone, 404, 'TENANT_NOT_FOUND');
      },
      denied: (cell, world) => expectStatusOf('GET', `/api/v1/tenants/${cell.params.tenant_id}`, world.superadmin, 200),
    },

    // ---- users of the caller's tenant (tenant_admin; a user reads only themself)
    'GET /api/v1/users': {
      expect: by(401, 403, 200, 200, 403),
      ok: (res, cell, world) => {
        expect(ids(res)).toContain(cell.session?.id);
        if (cell.caller === 'other_admin') expect(ids(res)).not.toContain(world.a.admin.id);
      },
    },
    'POST /api/v1/users': {
      expect: by(401, 403, 201, 201, 403),
      body: newUserBody,
      ok: (res, cell) => expect(res.json()).toEqual(expect.objectContaining({ email: cell.body?.email, role: 'user' })),
    },
    'GET /api/v1/users/me': {
      expect: by(401, 200, 200, 200, 403),
      ok: (res, cell) => expect(res.json()).toEqual(expect.objectContaining({ id: cell.session?.id })),
    },
    'PATCH /api/v1/users/me': {
      expect: by(401, 200, 200, 200, 403),
      body: () => ({ full_name: `Me ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.session?.id, full_name: cell.body?.full_name })),
    },
    'GET /api/v1/users/{user_id}': {
      expect: by(401, 403, 200, USER_404, 403),
      ok: (res, cell, world) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.user_id, email: world.a.admin.email })),
    },
    'PATCH /api/v1/users/{user_id}': {
      expect: by(401, 403, 200, USER_404, 403),
      body: () => ({ full_name: `Renamed ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({ id: cell.params.user_id, full_name: cell.body?.full_name }),
        ),
    },
    'DELETE /api/v1/users/{user_id}': {
      expect: by(401, 403, 204, USER_404, 403),
      fresh: freshMemberOfA,
      ok: async (res, cell, world) => {
        noBody(res);
        expectErrorBody(
          await inject('GET', `/api/v1/users/${cell.params.user_id}`, world.a.admin),
          404,
          'USER_NOT_FOUND',
        );
      },
      denied: (cell, world) => expectStatusOf('GET', `/api/v1/users/${cell.params.user_id}`, world.a.admin, 200),
    },

    // ---- users of an explicit tenant (superadmin only)
    'GET /api/v1/tenants/{tenant_id}/users': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res, _cell, world) => expect(ids(res)).toEqual(expect.arrayContaining([world.a.admin.id, world.user.id])),
    },
    'POST /api/v1/tenants/{tenant_id}/users': {
      expect: by(401, 403, 403, 403, 201),
      body: newUserBody,
      ok: (res, cell) => expect(res.json()).toEqual(expect.objectContaining({ email: cell.body?.email, role: 'user' })),
    },
    'GET /api/v1/tenants/{tenant_id}/users/{user_id}': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res, cell, world) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.user_id, email: world.a.admin.email })),
    },
    'PATCH /api/v1/tenants/{tenant_id}/users/{user_id}': {
      expect: by(401, 403, 403, 403, 200),
      body: () => ({ full_name: `Renamed ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({ id: cell.params.user_id, full_name: cell.body?.full_name }),
        ),
    },
    'DELETE /api/v1/tenants/{tenant_id}/users/{user_id}': {
      expect: by(401, 403, 403, 403, 204),
      fresh: freshMemberOfA,
      ok: async (res, cell, world) => {
        noBody(res);
        expectErrorBody(
          await inject('GET', `/api/v1/users/${cell.params.user_id}`, world.a.admin),
          404,
          'USER_NOT_FOUND',
        );
      },
      denied: (cell, world) => expectStatusOf('GET', `/api/v1/users/${cell.params.user_id}`, world.a.admin, 200),
    },

    // ---- projects (members read and create; creator or tenant_admin write)
    'GET /api/v1/projects': {
      expect: by(401, 200, 200, 200, 403),
      ok: (res, cell, world) => {
        expect(res.json()).toEqual(expect.objectContaining({ total: expect.any(Number), page: 1, size: 20 }));
        if (cell.caller === 'other_admin') expect(ids(res)).not.toContain(world.projectId);
        else expect(ids(res)).toContain(world.projectId);
      },
    },
    'POST /api/v1/projects': {
      expect: by(401, 201, 201, 201, 403),
      body: () => ({ name: `Project ${hex()}`, description: 'from the matrix' }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({
            name: cell.body?.name,
            description: 'from the matrix',
            created_by: cell.session?.id,
          }),
        ),
    },
    'GET /api/v1/projects/{project_id}': {
      expect: by(401, 200, 200, PROJECT_404, 403),
      ok: (res, cell, world) =>
        expect(res.json()).toEqual(
          expect.objectContaining({ id: cell.params.project_id, created_by: world.a.admin.id }),
        ),
    },
    'PATCH /api/v1/projects/{project_id}': {
      expect: by(401, 403, 200, PROJECT_404, 403),
      body: () => ({ name: `Renamed ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.project_id, name: cell.body?.name })),
    },
    'DELETE /api/v1/projects/{project_id}': {
      expect: by(401, 403, 204, PROJECT_404, 403),
      fresh: async (world, cell) => {
        cell.params.project_id = await world.f.project(world.a.admin);
      },
      ok: async (res, cell, world) => {
        noBody(res);
        const gone = await inject('GET', `/api/v1/projects/${cell.params.project_id}`, world.a.admin);
        expectErrorBody(gone, 404, 'PROJECT_NOT_FOUND');
      },
      denied: (cell, world) => expectStatusOf('GET', `/api/v1/projects/${cell.params.project_id}`, world.a.admin, 200),
    },
  };

  const DEFAULT_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
  const expected = (e: Expected): { status: number; code?: string } =>
    typeof e === 'number' ? { status: e, code: DEFAULT_CODES[e] } : { status: e[0], code: e[1] };

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t.app);
    const superadmin = await f.superadminSession();
    const [a, b] = await Promise.all([f.tenant(), f.tenant()]);
    const [user, projectId] = await Promise.all([f.member(a), f.project(a.admin)]);
    w = { f, a, b, user, superadmin, projectId };

    const res = await t.app.inject({ method: 'GET', url: '/docs-json' });
    if (res.statusCode !== 200) throw new Error(`/docs-json: ${res.statusCode}`);
    const doc = res.json();
    documented = new Map();
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      if (!(path.startsWith('/api/v1/') || ['/', '/health', '/health/ready'].includes(path))) continue;
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'].includes(method)) continue;
        documented.set(`${method.toUpperCase()} ${path}`, op as never);
      }
    }
  });
  afterAll(() => t.close());

  it('has exactly one row per documented operation', () => {
    const ops = [...documented.keys()];
    expect({
      withoutRow: ops.filter((k) => !(k in TABLE)),
      withoutOperation: Object.keys(TABLE).filter((k) => !documented.has(k)),
    }).toEqual({
      withoutRow: [],
      withoutOperation: [],
    });
  });

  it('documents each operation as it is guarded: bearer security iff anonymous is refused, every status listed', () => {
    const problems: string[] = [];
    for (const [key, row] of Object.entries(TABLE)) {
      const op = documented.get(key);
      if (!op) continue; // reported by the coverage test
      const secured = (op.security ?? []).length > 0;
      if (secured !== (expected(row.expect.anonymous).status === 401))
        problems.push(
          `${key}: security ${JSON.stringify(op.security ?? null)} but anonymous -> ${expected(row.expect.anonymous).status}`,
        );
      for (const caller of CALLERS) {
        const { status, code } = expected(row.expect[caller]);
        const response = op.responses[String(status)];
        if (!response) problems.push(`${key}: ${caller} -> ${status}, not a documented response`);
        else if (code && !DEFAULT_CODES[status] && !response.description?.includes(code))
          problems.push(`${key}: ${caller} -> ${status} ${code}, not named in "${response.description}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers every operation x caller as the table says, with the documented error body', async () => {
    const sessions: Record<Caller, Session | null> = {
      anonymous: null,
      user: w.user,
      tenant_admin: w.a.admin,
      other_admin: w.b.admin,
      superadmin: w.superadmin,
    };
    const mismatches: string[] = [];
    let requests = 0;
    const keys = Object.keys(TABLE).filter((k) => documented.has(k));
    for (const key of keys) {
      const row = TABLE[key];
      const [method, path] = key.split(' ');
      for (const caller of CALLERS) {
        const cell: Cell = {
          caller,
          session: sessions[caller],
          params: { tenant_id: w.a.tenantId, user_id: w.a.admin.id, project_id: w.projectId },
        };
        await row.fresh?.(w, cell);
        if (row.body) cell.body = await row.body(w, cell);
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          if (!cell.params[name]) throw new Error(`${key}: no value for path parameter ${name}`);
          return cell.params[name];
        });
        const res = await inject(method, url, cell.session, cell.body);
        requests++;
        const { status, code } = expected(row.expect[caller]);
        const where = `${key} as ${caller}`;
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
            await row.denied?.(cell, w);
          } else {
            await row.ok(res, cell, w);
          }
        } catch (err) {
          const message = stripVTControlCharacters((err as Error).message).replace(/\s+/g, ' ');
          mismatches.push(
            `${where}: ${status} as expected, but ${message.slice(0, 400)} (body ${res.body.slice(0, 300)})`,
          );
        }
      }
    }
    console.log(
      `authz matrix: ${keys.length} operations x ${CALLERS.length} callers = ${requests} requests, ${mismatches.length} mismatches`,
    );
    expect(mismatches).toEqual([]);
    expect(requests).toBe(keys.length * CALLERS.length);
  });
});
