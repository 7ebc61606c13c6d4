import {
  type World,
  by,
  expectErrorBody,
  hex,
  noBody,
  relogin,
  sameRoleAccount,
  tokenPair,
} from '../../../test/support/authz-matrix';
import { Types } from 'mongoose';
import { strongPassword, uniqueEmail } from '../../../test/support/factories';
import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';
import type { Response as InjectResponse } from 'light-my-request';
import { AccountTokens } from '../../identity/account-tokens/account-tokens.service';
import type { AccountTokenKind } from '../../identity/account-tokens/account-token.schema';

/** The session id (`sid` claim) of an access token. */
const sidOf = (access: string): string =>
  (JSON.parse(Buffer.from(access.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;

/** A token of a fresh member of tenant A, issued by the real service (as forgot-password and sign-up do). */
async function tokenForFreshMember(w: World, kind: AccountTokenKind): Promise<string> {
  const member = await w.f.member(w.a);
  const issued = await w.app
    .get(AccountTokens)
    .issue(kind, { accountId: new Types.ObjectId(member.id), tenantId: new Types.ObjectId(w.a.tenantId) });
  return issued.token;
}

const accepted = (message: RegExp) => (res: InjectResponse) =>
  expect(res.json()).toEqual({ message: expect.stringMatching(message) });

/**
 * Test-only (not built): rows of the authorization matrix, test/authz-matrix.e2e-spec.ts. Public
 * routes and routes of every role: none can be derived from the document, so each has a row.
 * The API key routes (tenant_admin only, no key callers) get derived rows: they need only the
 * `{key_id}` fixture and a body (the derived one would put a marker in `expires_at`).
 */
export const fixtures: ModuleFixtures = {
  params: {
    // Only a tenant_admin (with its own token) creates keys, whoever the probe runs as.
    key_id: async (ctx) => {
      const key = await ctx.request('POST', '/api/v1/api-keys', ctx.admin, {
        name: `Key ${ctx.marker()}`,
        role: 'user',
      });
      return key.id;
    },
    // Another session of the account the fixture runs as: its id is what DELETE takes.
    // An API key caller has no sessions (and is refused on session routes): its tenant admin's then.
    session_id: async (ctx) => {
      const person = ctx.session.apiKey ? ctx.admin : ctx.session;
      const pair = await ctx.request('POST', '/api/v1/auth/login', person, {
        email: person.email,
        password: person.password,
      });
      return sidOf(pair.access_token as string);
    },
  },
  bodies: {
    'POST /api/v1/api-keys': (ctx) => ({ name: `Key ${ctx.marker()}`, role: 'user' }),
  },
  matrix: {
    'POST /api/v1/auth/forgot-password': {
      // Public, and the same for every caller: a bearer token changes nothing.
      expect: by(202, 202, 202, 202, 202),
      body: (w) => ({ email: w.user.email }),
      ok: accepted(/^If an account matches this email/),
    },
    'POST /api/v1/auth/reset-password': {
      expect: by(204, 204, 204, 204, 204),
      body: async (w) => ({ token: await tokenForFreshMember(w, 'password_reset'), new_password: strongPassword() }),
      ok: async (res, cell, w) => {
        noBody(res);
        const again = await w.inject('POST', '/api/v1/auth/reset-password', null, cell.body);
        expectErrorBody(again, 400, 'INVALID_TOKEN');
      },
    },
    'POST /api/v1/auth/verify-email': {
      expect: by(204, 204, 204, 204, 204),
      body: async (w) => ({ token: await tokenForFreshMember(w, 'email_verification') }),
      ok: async (res, cell, w) => {
        noBody(res);
        expectErrorBody(await w.inject('POST', '/api/v1/auth/verify-email', null, cell.body), 400, 'INVALID_TOKEN');
      },
    },
    'POST /api/v1/auth/resend-verification': {
      expect: by(401, 202, 202, 202, 202),
      ok: accepted(/^If your address is not verified yet/),
    },
    'GET /api/v1/auth/sessions': {
      expect: by(401, 200, 200, 200, 200),
      ok: (res, cell) => {
        const current = res.json<Array<{ id: string; current: boolean }>>().filter((s) => s.current);
        expect(current.map((s) => s.id)).toEqual([sidOf(cell.session!.tokens.access_token)]);
      },
    },
    'DELETE /api/v1/auth/sessions/{session_id}': {
      // {session_id} is a session of A's admin: only A's admin may end it.
      expect: by(401, [404, 'SESSION_NOT_FOUND'], 204, [404, 'SESSION_NOT_FOUND'], [404, 'SESSION_NOT_FOUND']),
      fresh: async (w, cell) => {
        cell.params.session_id = sidOf((await relogin(w, w.a.admin)).tokens.access_token);
      },
      ok: async (res, cell, w) => {
        noBody(res);
        const left = await w.inject('GET', '/api/v1/auth/sessions', w.a.admin);
        expect(left.json<Array<{ id: string }>>().map((s) => s.id)).not.toContain(cell.params.session_id);
      },
      denied: async (cell, w) => {
        const left = await w.inject('GET', '/api/v1/auth/sessions', w.a.admin);
        expect(left.json<Array<{ id: string }>>().map((s) => s.id)).toContain(cell.params.session_id);
      },
    },
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
      body: (w) => ({ email: w.user.email, password: w.user.password }),
      ok: tokenPair,
    },
    'POST /api/v1/auth/refresh-token': {
      expect: by(200, 200, 200, 200, 200),
      body: async (w) => ({
        refresh_token: (await w.f.login(w.user.email, w.user.password)).refresh_token,
      }),
      ok: (res, cell) => {
        tokenPair(res);
        expect(res.json().refresh_token).not.toBe(cell.body?.refresh_token);
      },
    },
    'POST /api/v1/auth/logout': {
      expect: by(401, 204, 204, 204, 204),
      // A session of the caller's own, ended by its refresh token.
      fresh: async (w, cell) => {
        cell.session = cell.session && (await relogin(w, cell.session));
      },
      body: async (w, cell) => ({
        refresh_token: (cell.session?.tokens ?? (await w.f.login(w.user.email, w.user.password))).refresh_token,
      }),
      ok: async (res, cell, w) => {
        noBody(res);
        const again = await w.inject('POST', '/api/v1/auth/refresh-token', null, cell.body);
        expectErrorBody(again, 401, 'INVALID_REFRESH_TOKEN');
      },
    },
    'POST /api/v1/auth/logout-all': {
      expect: by(401, 204, 204, 204, 204),
      // Ends every session of the account: a throwaway account with the caller's role and tenant.
      fresh: async (w, cell) => {
        cell.session = await sameRoleAccount(w, cell.caller);
      },
      ok: async (res, cell, w) => {
        noBody(res);
        expectErrorBody(await w.inject('GET', '/api/v1/auth/me', cell.session), 401, 'UNAUTHENTICATED');
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
      fresh: async (w, cell) => {
        cell.session = await sameRoleAccount(w, cell.caller);
      },
      body: (w, cell) => ({
        current_password: (cell.session ?? w.user).password,
        new_password: strongPassword(),
      }),
      ok: async (res, cell, w) => {
        noBody(res);
        await w.f.login(cell.session!.email, cell.body?.new_password as string);
      },
    },
  },
};
