import {
  type Cell,
  type World,
  by,
  expectErrorBody,
  expectStatusOf,
  hex,
  ids,
  inB,
  noBody,
} from '../../../test/support/authz-matrix';
import type { Response as InjectResponse } from 'light-my-request';
import { strongPassword, uniqueEmail } from '../../../test/support/factories';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

const USER_404 = [404, 'USER_NOT_FOUND'] as const;

const newUserBody = () => ({ email: uniqueEmail('new'), password: strongPassword(), full_name: 'New User' });
const freshMemberOfA = async (w: World, cell: Cell) => {
  cell.params.user_id = (await w.f.member(w.a)).id;
};
/** `{user_id}` is a plain member of A made by A's admin (the fixture below), never the caller itself. */
const isTheMember = (res: InjectResponse, cell: Cell) =>
  expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.user_id, role: 'user' }));
const deletedMember = {
  fresh: freshMemberOfA,
  ok: async (res: InjectResponse, cell: Cell, w: World) => {
    noBody(res);
    expectErrorBody(await w.inject('GET', `/api/v1/users/${cell.params.user_id}`, w.a.admin), 404, 'USER_NOT_FOUND');
  },
  denied: (cell: Cell, w: World) => expectStatusOf(w, 'GET', `/api/v1/users/${cell.params.user_id}`, w.a.admin, 200),
};

/** Test-only (not built): fixtures of the generated suites (test/tenant-isolation.e2e-spec.ts, test/authz-matrix.e2e-spec.ts). */
export const fixtures: ModuleFixtures = {
  params: {
    // Only a tenant_admin creates accounts, whoever the probe runs as.
    user_id: async (ctx) => {
      const user = await ctx.request('POST', '/api/v1/users', ctx.admin, {
        email: `${ctx.marker()}@example.com`,
        password: strongPassword(),
        full_name: `Member ${ctx.marker()}`,
      });
      return user.id;
    },
  },

  // Explicit rows: a user reads only themself, `/me` routes, and the superadmin's routes of an
  // explicit tenant are rules the document does not carry.
  matrix: {
    // ---- users of the caller's tenant (tenant_admin; a user reads only themself)
    'GET /api/v1/users': {
      expect: by(401, 403, 200, 200, 403),
      ok: (res, cell, w) => {
        // A person sees itself; a key (nobody) sees its tenant's admin.
        const own = cell.session?.apiKey ? (inB(cell.caller) ? w.b.admin.id : w.a.admin.id) : cell.session?.id;
        expect(ids(res)).toContain(own);
        if (inB(cell.caller)) expect(ids(res)).not.toContain(w.a.admin.id);
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
      refusedBecause: { user: 'a user reads only themself; {user_id} is another member (a key is nobody)' },
      ok: isTheMember,
    },
    'PATCH /api/v1/users/{user_id}': {
      expect: by(401, 403, 200, USER_404, 403),
      body: () => ({ full_name: `Renamed ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({ id: cell.params.user_id, full_name: cell.body?.full_name }),
        ),
    },
    'DELETE /api/v1/users/{user_id}': { expect: by(401, 403, 204, USER_404, 403), ...deletedMember },

    // ---- users of an explicit tenant (superadmin only)
    'GET /api/v1/tenants/{tenant_id}/users': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res, _cell, w) => expect(ids(res)).toEqual(expect.arrayContaining([w.a.admin.id, w.user.id])),
    },
    'POST /api/v1/tenants/{tenant_id}/users': {
      expect: by(401, 403, 403, 403, 201),
      body: newUserBody,
      ok: (res, cell) => expect(res.json()).toEqual(expect.objectContaining({ email: cell.body?.email, role: 'user' })),
    },
    'GET /api/v1/tenants/{tenant_id}/users/{user_id}': {
      expect: by(401, 403, 403, 403, 200),
      ok: isTheMember,
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
      ...deletedMember,
    },
  },
};
