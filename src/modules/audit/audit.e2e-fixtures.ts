import type { Response as InjectResponse } from 'light-my-request';
import { by, type Cell, type World } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

interface EventBody {
  action: string;
  actor: { id: string };
  target: { type: string; id: string };
}

const items = (res: InjectResponse): EventBody[] => res.json<{ items: EventBody[] }>().items;
const touches = (e: EventBody, ids: string[]) => ids.includes(e.actor.id) || ids.includes(e.target.id);

/** An intact chain, as a stream with only real writes must be. */
const intact = (res: InjectResponse) =>
  expect(res.json()).toEqual({ valid: true, events: expect.any(Number), first_invalid_id: null });

/**
 * Test-only (not built): rows of the generated suites. No path parameter of its own (`{tenant_id}`
 * comes from the tenants module). Every route admits superadmins (platform stream, or a tenant's
 * on the /tenants/{tenant_id}/ routes): explicit rows.
 */
export const fixtures: ModuleFixtures = {
  matrix: {
    'GET /api/v1/audit-events': {
      expect: by(401, 403, 200, 200, 200),
      ok: (res: InjectResponse, cell: Cell, w: World) => {
        const mine = [w.a.admin.id, w.a.tenantId];
        if (cell.caller === 'tenant_admin') expect(items(res).some((e) => touches(e, mine))).toBe(true);
        // Tenant B's admin: B's stream, nothing of A's.
        if (cell.caller === 'other_admin') expect(items(res).filter((e) => touches(e, mine))).toEqual([]);
        // The superadmin: the platform stream (A's creation is there, no tenant-stream event).
        if (cell.caller === 'superadmin') {
          expect(items(res).some((e) => e.action === 'tenant.created' && e.target.id === w.a.tenantId)).toBe(true);
          expect(items(res).filter((e) => e.action.startsWith('user.'))).toEqual([]);
        }
      },
    },
    'GET /api/v1/audit-events/verify': { expect: by(401, 403, 200, 200, 200), ok: intact },
    'GET /api/v1/tenants/{tenant_id}/audit-events': {
      expect: by(401, 403, 403, 403, 200),
      ok: (res: InjectResponse, _cell: Cell, w: World) => {
        // A's stream: its admin's creation, and this very read recorded as a superadmin access.
        expect(items(res).some((e) => e.action === 'user.created' && e.target.id === w.a.admin.id)).toBe(true);
        expect(items(res)[0]).toEqual(
          expect.objectContaining({ action: 'superadmin.tenant_access', target: { type: 'tenant', id: w.a.tenantId } }),
        );
      },
    },
    'GET /api/v1/tenants/{tenant_id}/audit-events/verify': { expect: by(401, 403, 403, 403, 200), ok: intact },
  },
};
