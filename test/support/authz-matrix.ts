import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response as InjectResponse } from 'light-my-request';
import { expectErrorBody } from './expect-error';
import { type Factory, type Session, type TenantSession, strongPassword, uniqueEmail } from './factories';

/**
 * What a module's explicit rows of the authorization matrix (test/authz-matrix.e2e-spec.ts) are
 * made of. A module puts them in the `matrix` of its fixture file
 * (`src/modules/<module>/<module>.e2e-fixtures.ts`, test/support/isolation-fixtures.ts), keyed
 * `'METHOD /path'` as the OpenAPI document names the operation. A tenant-scoped operation without
 * a row gets one derived from the document (test/support/authz-defaults.ts); a row overrides it,
 * cell by cell.
 */

export { expectErrorBody };

export const CALLERS = [
  'anonymous',
  'user',
  'tenant_admin',
  'other_admin',
  'superadmin',
  'user_key',
  'admin_key',
  'other_admin_key',
] as const;
export type Caller = (typeof CALLERS)[number];
/**
 * Tenant API keys as callers (`X-API-Key`): a `user`-role key and a `tenant_admin`-role key of
 * tenant A, and a `tenant_admin`-role key of tenant B. Their cells are derived from the person of
 * the same role and tenant (test/support/authz-defaults.ts `keyCells`) unless a row gives them.
 */
export const KEY_CALLERS = ['user_key', 'admin_key', 'other_admin_key'] as const;
export type KeyCaller = (typeof KEY_CALLERS)[number];
export const isKeyCaller = (c: Caller): c is KeyCaller => (KEY_CALLERS as readonly string[]).includes(c);
/** The person whose role and tenant a key caller has. */
export const PERSON_OF: Record<KeyCaller, 'user' | 'tenant_admin' | 'other_admin'> = {
  user_key: 'user',
  admin_key: 'tenant_admin',
  other_admin_key: 'other_admin',
};
/** Callers of tenant B. */
export const inB = (c: Caller): boolean => c === 'other_admin' || c === 'other_admin_key';
/** A status, or a status and the error `code` (401 and 403 default to UNAUTHENTICATED and FORBIDDEN). */
export type Expected = number | readonly [number, string];

/**
 * The world every cell runs in: tenant A with its admin (`tenant_admin`) and a plain member
 * (`user`); tenant B whose admin is `other_admin`; the app's superadmin.
 */
export interface World {
  app: NestFastifyApplication;
  f: Factory;
  a: TenantSession;
  user: Session;
  b: TenantSession;
  superadmin: Session;
  /** Tenant API keys: A's user-role and admin-role keys, B's admin-role key. */
  keys: Record<KeyCaller, Session>;
  /** Tenant A's value of a path parameter, made once by A's admin through the module's fixture. */
  param(name: string): Promise<string>;
  /** Calls the app as `session` (null: no Authorization header). */
  inject(method: string, url: string, session: Session | null, payload?: object): Promise<InjectResponse>;
}

/** One request of the matrix, built before it is sent. */
export interface Cell {
  caller: Caller;
  /** Who sends it; null: no Authorization header. */
  session: Session | null;
  /**
   * Path parameter values. In a cell the row gives: tenant A's things made by A's admin
   * (`World.param`). In a derived cell: the caller's own, when its role is admitted.
   */
  params: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface MatrixRow {
  /** Expected answer per caller; a caller left out gets the derived one (tenant-scoped operations only). */
  expect?: Partial<Record<Caller, Expected>>;
  /**
   * Why a caller whose role `@Auth` admits is still refused 403 (an ownership rule, say). Required
   * for each such cell, and refused when the role is not admitted: a change of the roles shows.
   */
  refusedBecause?: Partial<Record<Caller, string>>;
  /** Fresh targets or a fresh caller for this one call (mutates the cell). */
  fresh?: (w: World, cell: Cell) => Promise<void>;
  /** A valid body, so that the guards (not validation) decide; default: the fixture's or one derived from the schema. */
  body?: (w: World, cell: Cell) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** What a success must look like (throws through `expect`); default: the response schema's shape. */
  ok?: (res: InjectResponse, cell: Cell, w: World) => Promise<void> | void;
  /** For a refused destructive call: the target must still be there. */
  denied?: (cell: Cell, w: World) => Promise<void>;
}

/**
 * The row's statuses of the persons: anonymous, user, tenant_admin, other_admin, superadmin. Key
 * callers are derived from them (or given in `expect` next to these).
 */
export function by(
  anonymous: Expected,
  user: Expected,
  tenant_admin: Expected,
  other_admin: Expected,
  superadmin: Expected,
): Partial<Record<Caller, Expected>> {
  return { anonymous, user, tenant_admin, other_admin, superadmin };
}

export const hex = () => randomBytes(5).toString('hex');

/** Another login of the same identity: a session of its own, the same account. */
export const relogin = (w: World, s: Session) =>
  s.apiKey ? Promise.resolve(s) : w.f.session(s.email, s.password, s.id);

/** A new account with the caller's role and tenant, for calls that end all of a caller's sessions. */
export async function sameRoleAccount(w: World, caller: Caller): Promise<Session | null> {
  switch (caller) {
    // A key has no sessions or password of its own (and is refused on these routes): itself.
    case 'user_key':
    case 'admin_key':
    case 'other_admin_key':
      return w.keys[caller];
    case 'anonymous':
      return null;
    case 'user':
      return w.f.member(w.a);
    case 'tenant_admin':
      return w.f.member(w.a, 'tenant_admin');
    case 'other_admin':
      return w.f.member(w.b, 'tenant_admin');
    case 'superadmin': {
      const email = uniqueEmail('root2');
      const password = strongPassword();
      const res = await w.inject('POST', '/api/v1/auth/register', w.superadmin, {
        email,
        password,
        is_superadmin: true,
      });
      if (res.statusCode !== 201) throw new Error(`second superadmin: ${res.statusCode} ${res.body}`);
      return w.f.session(email, password, res.json().user.id);
    }
  }
}

export async function expectStatusOf(
  w: World,
  method: string,
  url: string,
  session: Session,
  status: number,
): Promise<void> {
  const res = await w.inject(method, url, session);
  expect({ check: `${method} ${url}`, status: res.statusCode }).toEqual({ check: `${method} ${url}`, status });
}

export const tokenPair = (res: InjectResponse) =>
  expect(res.json()).toEqual({
    access_token: expect.any(String),
    refresh_token: expect.any(String),
    token_type: 'bearer',
    expires_in: expect.any(Number),
  });
export const noBody = (res: InjectResponse) => expect(res.body).toBe('');
/** The ids of a page's items. */
export const ids = (res: InjectResponse): string[] => res.json().items.map((i: { id: string }) => i.id);
