import { by } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

/** Test-only (not built): rows of the authorization matrix, test/authz-matrix.e2e-spec.ts (public probes). */
export const fixtures: ModuleFixtures = {
  matrix: {
    'GET /health': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) => expect(res.json()).toEqual({ status: 'ok' }),
    },
    'GET /health/ready': {
      expect: by(200, 200, 200, 200, 200),
      ok: (res) =>
        expect(res.json()).toEqual({
          status: 'ok',
          checks: { mongodb: 'up', redis: 'up', mail: 'up' },
          mail_outbox: { pending: expect.any(Number), sending: expect.any(Number), dead: 0 },
        }),
    },
  },
};
