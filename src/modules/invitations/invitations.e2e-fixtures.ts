import type { Response as InjectResponse } from 'light-my-request';
import { type Cell, type World, by, hex, ids, noBody } from '../../../test/support/authz-matrix';
import { strongPassword, uniqueEmail } from '../../../test/support/factories';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

const INVITATION_404 = [404, 'INVITATION_NOT_FOUND'] as const;

const newInvitationBody = () => ({ email: uniqueEmail('invited'), role: 'user', full_name: 'Invited' });

const invitationOfA = async (w: World): Promise<string> => {
  const res = await w.inject('POST', '/api/v1/invitations', w.a.admin, newInvitationBody());
  if (res.statusCode !== 201) throw new Error(`invite: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
};

const statusInA = async (w: World, id: string): Promise<string | undefined> => {
  const res = await w.inject('GET', '/api/v1/invitations?limit=100', w.a.admin);
  return res.json<{ items: Array<{ id: string; status: string }> }>().items.find((i) => i.id === id)?.status;
};

const isPendingInvitation = (res: InjectResponse, cell: Cell) =>
  expect(res.json()).toEqual(
    expect.objectContaining({ email: cell.body?.email, role: 'user', status: 'pending', invited_by: cell.session?.id }),
  );

/** A DELETE of A's invitation: a fresh one per call; revoked when allowed, still pending otherwise. */
const revokes = {
  fresh: async (w: World, cell: Cell) => {
    cell.params.invitation_id = await invitationOfA(w);
  },
  ok: async (res: InjectResponse, cell: Cell, w: World) => {
    noBody(res);
    expect(await statusInA(w, cell.params.invitation_id)).toBe('revoked');
  },
  denied: async (cell: Cell, w: World) => {
    expect(await statusInA(w, cell.params.invitation_id)).toBe('pending');
  },
};

/** Test-only (not built): fixtures of the generated suites (test/tenant-isolation.e2e-spec.ts, test/authz-matrix.e2e-spec.ts). */
export const fixtures: ModuleFixtures = {
  // The marker goes in the email: the invitation object (what a leak would show) has no full_name.
  params: {
    // Only a tenant_admin invites, whoever the probe runs as.
    invitation_id: async (ctx) => {
      const invitation = await ctx.request('POST', '/api/v1/invitations', ctx.admin, {
        email: `${ctx.marker()}@example.com`,
        role: 'user',
      });
      return invitation.id;
    },
  },
  bodies: {
    'POST /api/v1/invitations': (ctx) => ({
      email: `${ctx.marker()}@example.com`,
      role: 'user',
    }),
    'POST /api/v1/tenants/{tenant_id}/invitations': (ctx) => ({
      email: `${ctx.marker()}@example.com`,
      role: 'user',
    }),
  },

  matrix: {
    // ---- the caller's tenant (tenant_admin)
    'POST /api/v1/invitations': {
      expect: by(401, 403, 201, 201, 403),
      body: newInvitationBody,
      ok: isPendingInvitation,
    },
    'GET /api/v1/invitations': {
      expect: by(401, 403, 200, 200, 403),
      ok: async (res, cell, w) => {
        const id = await w.param('invitation_id');
        if (cell.caller === 'other_admin') expect(ids(res)).not.toContain(id);
        else expect(ids(res)).toContain(id);
      },
    },
    'DELETE /api/v1/invitations/{invitation_id}': {
      expect: by(401, 403, 204, INVITATION_404, 403),
      ...revokes,
    },

    // ---- an explicit tenant (superadmin only)
    'POST /api/v1/tenants/{tenant_id}/invitations': {
      expect: by(401, 403, 403, 403, 201),
      body: newInvitationBody,
      ok: isPendingInvitation,
    },
    'GET /api/v1/tenants/{tenant_id}/invitations': {
      expect: by(401, 403, 403, 403, 200),
      ok: async (res, _cell, w) => expect(ids(res)).toContain(await w.param('invitation_id')),
    },
    'DELETE /api/v1/tenants/{tenant_id}/invitations/{invitation_id}': {
      expect: by(401, 403, 403, 403, 204),
      ...revokes,
    },

    // ---- public: a token that names no invitation is refused alike for every caller
    'POST /api/v1/auth/accept-invitation': {
      expect: by(
        [400, 'INVALID_TOKEN'],
        [400, 'INVALID_TOKEN'],
        [400, 'INVALID_TOKEN'],
        [400, 'INVALID_TOKEN'],
        [400, 'INVALID_TOKEN'],
      ),
      body: () => ({ token: `${'0'.repeat(24)}.${hex().repeat(9).slice(0, 43)}`, password: strongPassword() }),
    },
  },
};
