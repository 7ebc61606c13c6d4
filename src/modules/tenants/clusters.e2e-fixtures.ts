import { by } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

/**
 * Test-only (not built): rows of the generated suites for clusters and tenant moves (superadmin
 * routes). The suites run one cluster (`default`), so a move can only be refused there: to an
 * unknown cluster (422) and, never moved, GET answers 404 TENANT_MOVE_NOT_FOUND.
 * test/clusters.e2e-spec.ts moves tenants between two real clusters.
 */
export const fixtures: ModuleFixtures = {
  matrix: {
    'GET /api/v1/clusters': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res) => expect(res.json()).toEqual([{ name: 'default', tenants: expect.any(Number), status: 'up' }]),
    },
    'POST /api/v1/tenants/{tenant_id}/move': {
      expect: by(401, 403, 403, 403, [422, 'VALIDATION_FAILED']),
      // The matrix checks the error body and code; test/clusters.e2e-spec.ts moves for real.
      body: () => ({ cluster: 'nowhere' }),
    },
    'GET /api/v1/tenants/{tenant_id}/move': {
      expect: by(401, 403, 403, 403, [404, 'TENANT_MOVE_NOT_FOUND']),
    },
  },
};
