import { by } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

/** Test-only (not built): rows of the authorization matrix, test/authz-matrix.e2e-spec.ts (a public route). */
export const fixtures: ModuleFixtures = {
  matrix: {
    'GET /': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) => expect(res.json()).toEqual({ message: 'Welcome to the Multi-Tenant Backend API' }),
    },
  },
};
