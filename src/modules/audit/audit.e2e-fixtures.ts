import type { Response as InjectResponse } from 'light-my-request';
import { by, type Cell, type World } from '../../../test/support/authz-matrix';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

interface EventBody {
  action: string;
  actor: { type: string; id: string };
  target: { type: string; id: string };
  request_id: string | null;
}

const items = (res: InjectResponse): EventBody[] => res.json<{ items: EventBody[] }>().items;
const touches = (e: EventBody, ids: string[]) => ids.includes(e.actor.id) || ids.includes(e.target.id);
/** What the platform stream holds: tenants' lifecycle (sign-ups by their admin), superadmins' and system acts. */
const platformOnly = (e: EventBody) =>
  e.action.startsWith('tenant.') || ['superadmin', 'system'].includes(e.actor.type);

/** An intact chain, as a stream with only real writes must be. */
const intact = (res: InjectResponse) =>
  expect(res.json()).toEqual({ valid: true, events: expect.any(Number), first_invalid_id: null });

/** Every read of a tenant's data by a superadmin is itself an event of that tenant: not B's data changing. */
const withoutSuperadminReads = (body: unknown) =>
  (body as { items: EventBody[] }).items.filter(
    (e) => !(e.action === 'superadmin.tenant_access' && e.actor.type === 'superadmin'),
  );
/** The chain grows with those reads: its validity is what must not change. */
const verdict = (body: unknown) => {
  const { valid, first_invalid_id } = body as { valid: boolean; first_invalid_id: string | null };
  return { valid, first_invalid_id };
};

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
        // The superadmin: the platform stream, nothing of a tenant's own stream.
        if (cell.caller === 'superadmin') {
          expect(items(res).length).toBeGreaterThan(0);
          expect(items(res).filter((e) => !platformOnly(e))).toEqual([]);
        }
      },
    },
    'GET /api/v1/audit-events/verify': { expect: by(401, 403, 200, 200, 200), ok: intact },
    'GET /api/v1/tenants/{tenant_id}/audit-events': {
      expect: by(401, 403, 403, 403, 200),
      // A's stream, newest first: this very read, recorded as a superadmin access to A.
      ok: (res: InjectResponse, _cell: Cell, w: World) =>
        expect(items(res)[0]).toEqual(
          expect.objectContaining({
            action: 'superadmin.tenant_access',
            target: { type: 'tenant', id: w.a.tenantId },
            request_id: res.headers['x-request-id'],
          }),
        ),
    },
    'GET /api/v1/tenants/{tenant_id}/audit-events/verify': { expect: by(401, 403, 403, 403, 200), ok: intact },
  },
  stableViews: {
    'GET /api/v1/audit-events': withoutSuperadminReads,
    'GET /api/v1/tenants/{tenant_id}/audit-events': withoutSuperadminReads,
    'GET /api/v1/audit-events/verify': verdict,
    'GET /api/v1/tenants/{tenant_id}/audit-events/verify': verdict,
  },
};
