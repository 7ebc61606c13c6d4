import { by, expectErrorBody, expectStatusOf, hex, ids, inB, noBody } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

const PROJECT_404 = [404, 'PROJECT_NOT_FOUND'] as const;
// A `user` may read A's admin's project but not change it.
const NOT_THE_CREATOR = "only its creator or a tenant_admin changes a project; {project_id} is A's admin's";

/**
 * Test-only (not built): fixtures of the generated suites, test/tenant-isolation.e2e-spec.ts and
 * test/authz-matrix.e2e-spec.ts. The example to copy for a new tenant-scoped module: one entry per
 * path parameter the module owns, made through the real API with a marker in every text field.
 * The matrix rows are optional (a tenant-scoped route gets a derived one); projects keep theirs
 * for what the document cannot say: only the creator or a tenant_admin may change a project.
 */
export const fixtures: ModuleFixtures = {
  params: {
    // Made by the probe's caller, so that a member (not only an admin) may also change it.
    project_id: async (ctx) => {
      const project = await ctx.request('POST', '/api/v1/projects', ctx.session, {
        name: `Project ${ctx.marker()}`,
        description: `About ${ctx.marker()}`,
      });
      return project.id;
    },
  },

  // Cells of these rows name the project A's admin made (`w.param('project_id')`).
  matrix: {
    'GET /api/v1/projects': {
      expect: by(401, 200, 200, 200, 403),
      ok: async (res, cell, w) => {
        expect(res.json()).toEqual(expect.objectContaining({ total: expect.any(Number), page: 1, size: 20 }));
        const projectId = await w.param('project_id');
        if (inB(cell.caller)) expect(ids(res)).not.toContain(projectId);
        else expect(ids(res)).toContain(projectId);
      },
    },
    // An API key creates as itself: `created_by` is the key's id (cell.session.id of a key caller).
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
      ok: (res, cell, w) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.project_id, created_by: w.a.admin.id })),
    },
    'PATCH /api/v1/projects/{project_id}': {
      expect: by(401, 403, 200, PROJECT_404, 403),
      refusedBecause: { user: NOT_THE_CREATOR },
      body: () => ({ name: `Renamed ${hex()}` }),
      ok: (res, cell) =>
        expect(res.json()).toEqual(expect.objectContaining({ id: cell.params.project_id, name: cell.body?.name })),
    },
    'DELETE /api/v1/projects/{project_id}': {
      expect: by(401, 403, 204, PROJECT_404, 403),
      refusedBecause: { user: NOT_THE_CREATOR },
      fresh: async (w, cell) => {
        cell.params.project_id = await w.f.project(w.a.admin);
      },
      ok: async (res, cell, w) => {
        noBody(res);
        const gone = await w.inject('GET', `/api/v1/projects/${cell.params.project_id}`, w.a.admin);
        expectErrorBody(gone, 404, 'PROJECT_NOT_FOUND');
      },
      denied: (cell, w) => expectStatusOf(w, 'GET', `/api/v1/projects/${cell.params.project_id}`, w.a.admin, 200),
    },
  },
};
