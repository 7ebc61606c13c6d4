import { by, expectErrorBody, expectStatusOf, hex, ids, noBody } from '../../../test/support/authz-matrix';
import { uniqueEmail, strongPassword } from '../../../test/support/factories';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

const TENANT_404 = [404, 'TENANT_NOT_FOUND'] as const;

/** Test-only (not built): fixtures of the generated suites (test/tenant-isolation.e2e-spec.ts, test/authz-matrix.e2e-spec.ts). */
export const fixtures: ModuleFixtures = {
  params: {
    // A tenant's `{tenant_id}` is the tenant itself; the suite makes the tenant (with markers in its
    // name, domain, emails and settings) before any fixture runs.
    tenant_id: (ctx) => Promise.resolve(ctx.tenantId),
  },

  notSnapshotted: {
    'GET /api/v1/tenants/{tenant_id}/export': 'a new archive on every call (stamped with its time)',
    'GET /api/v1/tenants/{tenant_id}/erasure-receipt': 'exists only once the tenant is deleted (404 before)',
  },

  // Superadmin routes (GET one also for its members): not derivable, so each has a row.
  matrix: {
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
      ok: (res, _cell, w) => {
        expect(res.json()).toEqual(expect.objectContaining({ total: expect.any(Number), page: 1, size: 20 }));
        expect(ids(res)).toContain(w.a.tenantId);
      },
    },
    'GET /api/v1/tenants/{tenant_id}': {
      expect: by(401, 200, 200, TENANT_404, 200),
      ok: (res, _cell, w) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: w.a.tenantId, domain: w.a.domain })),
    },
    'PATCH /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 200),
      body: () => ({ name: `Renamed ${hex()}` }),
      ok: (res, cell, w) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: w.a.tenantId, name: cell.body?.name })),
    },
    'PUT /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 200),
      body: () => ({ name: `Replaced ${hex()}` }),
      ok: (res, cell, w) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: w.a.tenantId, name: cell.body?.name })),
    },
    'DELETE /api/v1/tenants/{tenant_id}': {
      expect: by(401, 403, 403, 403, 204),
      // A throwaway tenant; `user` and `tenant_admin` are its own members, so they try to delete their tenant.
      fresh: async (w, cell) => {
        const doomed = await w.f.tenant();
        cell.params.tenant_id = doomed.tenantId;
        if (cell.caller === 'user') cell.session = await w.f.member(doomed);
        if (cell.caller === 'tenant_admin') cell.session = doomed.admin;
      },
      ok: async (res, cell, w) => {
        noBody(res);
        const gone = await w.inject('GET', `/api/v1/tenants/${cell.params.tenant_id}`, w.superadmin);
        expectErrorBody(gone, 404, 'TENANT_NOT_FOUND');
      },
      denied: (cell, w) => expectStatusOf(w, 'GET', `/api/v1/tenants/${cell.params.tenant_id}`, w.superadmin, 200),
    },
    // Tenant archives and receipts: superadmins only (the round trip itself: test/tenant-archive.e2e-spec.ts).
    'GET /api/v1/tenants/{tenant_id}/export': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res) => {
        expect(res.headers['content-type']).toBe('application/gzip');
        expect(res.rawPayload.subarray(0, 2).toString('hex')).toBe('1f8b');
      },
    },
    'POST /api/v1/tenants/import': {
      // The matrix sends JSON: past the guards, the route asks for the raw gzip body.
      expect: by(401, 403, 403, 403, [415, 'UNSUPPORTED_MEDIA_TYPE']),
      body: () => ({}),
    },
    'GET /api/v1/tenants/{tenant_id}/erasure-receipt': {
      expect: by(401, 403, 403, 403, 200),
      // The superadmin reads the receipt of a tenant it has just deleted; the others ask for tenant A's.
      fresh: async (w, cell) => {
        if (cell.caller !== 'superadmin') return;
        const doomed = await w.f.tenant();
        await expectStatusOf(w, 'DELETE', `/api/v1/tenants/${doomed.tenantId}`, w.superadmin, 204);
        cell.params.tenant_id = doomed.tenantId;
      },
      ok: (res, cell) =>
        expect(res.json()).toEqual(
          expect.objectContaining({
            receipt: expect.objectContaining({ tenant_id: cell.params.tenant_id }),
            signature_valid: true,
          }),
        ),
    },
  },
};
