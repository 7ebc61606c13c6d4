import type { Response as InjectResponse } from 'light-my-request';
import {
  CALLERS,
  type Caller,
  type Cell,
  type Expected,
  KEY_CALLERS,
  type KeyCaller,
  type MatrixRow,
  PERSON_OF,
  type World,
  isKeyCaller,
  noBody,
} from './authz-matrix';
import { expectErrorBody } from './expect-error';
import {
  type OpenApiDocument,
  type Operation,
  type Role,
  type Schema,
  isTenantScoped,
  resolve,
} from './openapi-operations';

/**
 * The row of the authorization matrix that a tenant-scoped operation gets when its module gives
 * none, derived from the OpenAPI document alone:
 * - anonymous: 401 UNAUTHENTICATED;
 * - `user`, `tenant_admin`: the documented 2xx if `@Auth` admits the role (on targets the caller made
 *   itself through the module's fixture, so ownership rules pass), else 403 FORBIDDEN;
 * - `other_admin` (tenant B's admin): 403 if tenant_admin is not admitted; else 404 with the code
 *   the documented 404 names first when the path names A's things, the 2xx on a collection (that it
 *   sees nothing of A's is the isolation suite's job);
 * - superadmin: 403 FORBIDDEN (a tenant route; one that also admits superadmins needs an explicit row).
 * A success must match the response schema (required properties, the target's `id`, the fields a
 * write sent) or have no body (204); a DELETE's target is gone after, and still there when refused.
 *
 * Key callers (user_key, admin_key, other_admin_key), for every operation, explicit row or not
 * (`keyCell`): on a public operation, what anonymous gets (a key is not read there); on one whose
 * `@Auth` does not admit keys (no `apiKey` security: sessions, profile, password, key management,
 * superadmin routes), 403 API_KEY_NOT_ALLOWED; on one that does, what the person of the same role
 * and tenant gets (the key acts as its role in its tenant).
 */

export const DEFAULT_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
export const KEY_REFUSED: Expected = [403, 'API_KEY_NOT_ALLOWED'];

/** A key caller's cell when the row does not give it (see above). */
export function keyCell(op: Operation, persons: Partial<Record<Caller, Expected>>, key: KeyCaller): Expected {
  const from = op.roles === null ? 'anonymous' : op.apiKey ? PERSON_OF[key] : null;
  if (!from) return KEY_REFUSED;
  const cell = persons[from];
  if (cell === undefined) throw new Error(`${op.key}: no cell for ${from}, from which ${key} is derived`);
  return cell;
}

/** The persons' cells plus the key callers' (the row's own, else derived from the persons'). */
export function withKeyCells(
  op: Operation,
  persons: Partial<Record<Caller, Expected>>,
  row?: MatrixRow,
): Record<Caller, Expected> {
  const keys = Object.fromEntries(KEY_CALLERS.map((k) => [k, row?.expect?.[k] ?? keyCell(op, persons, k)]));
  return { ...persons, ...keys } as Record<Caller, Expected>;
}

export const expected = (e: Expected): { status: number; code?: string } =>
  typeof e === 'number' ? { status: e, code: DEFAULT_CODES[e] } : { status: e[0], code: e[1] };

/** The role each caller has, as `@Auth({ roles })` names it. */
export const ROLE_OF: Record<Exclude<Caller, 'anonymous'>, Role> = {
  user: 'user',
  tenant_admin: 'tenant_admin',
  other_admin: 'tenant_admin',
  superadmin: 'superadmin',
  user_key: 'user',
  admin_key: 'tenant_admin',
  other_admin_key: 'tenant_admin',
};

/** `path` with each `{param}` replaced by the cell's value. */
export const fillPath = (path: string, params: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (!params[name]) throw new Error(`${path}: no value for path parameter ${name}`);
    return params[name];
  });

/** Whether the derived cell of `caller` acts on targets of its own (its role is admitted). */
export const actsOnOwnTargets = (op: Operation, caller: Caller): boolean => {
  if (caller === 'user' || caller === 'tenant_admin') return op.roles?.includes(caller) ?? false;
  if (caller === 'user_key' || caller === 'admin_key')
    return op.apiKey && (op.roles?.includes(ROLE_OF[caller]) ?? false);
  return false;
};

export interface Derived {
  expect: Record<Caller, Expected>;
  ok: NonNullable<MatrixRow['ok']>;
  denied?: MatrixRow['denied'];
}

/** The derived row, or why there is none (the module must then give an explicit row). */
export function deriveRow(doc: OpenApiDocument, op: Operation, ops: Operation[]): Derived | string {
  if (!isTenantScoped(op) || !op.roles) return 'not tenant-scoped (public or superadmin-only)';
  const roles = op.roles;
  if (roles.includes('superadmin'))
    return `admits superadmin (${roles.join(', ')}) and tenant roles: which tenant a superadmin means is not in the document`;
  const successes = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
  if (successes.length !== 1) return `documents ${successes.length} 2xx responses, expected exactly one`;
  const success = Number(successes[0]);
  let other: Expected = 403;
  if (roles.includes('tenant_admin')) {
    if (op.params.length) {
      const code = /^([A-Z][A-Z0-9_]*)/.exec(op.responses['404']?.description ?? '')?.[1];
      if (!code)
        return "names tenant A's things in its path but documents no 404 starting with its code (`@ApiNotFoundResponse`)";
      other = [404, code];
    } else other = success;
  }
  const admitted = (role: Role): Expected => (roles.includes(role) ? success : 403);
  const cells = withKeyCells(op, {
    anonymous: 401,
    user: admitted('user'),
    tenant_admin: admitted('tenant_admin'),
    other_admin: other,
    superadmin: 403,
  });

  // The GET at the same path (an item route's read), to see a DELETE's effect.
  const read = ops.find((o) => o.method === 'GET' && o.path === op.path);
  const gone = op.method === 'DELETE' && op.params.length > 0 && read ? read : undefined;
  const goneCode = /^([A-Z][A-Z0-9_]*)/.exec(gone?.responses['404']?.description ?? '')?.[1];
  return {
    expect: cells,
    ok: async (res, cell, w) => {
      checkShape(doc, op, success, res, cell);
      const canRead = cell.caller !== 'anonymous' && gone?.roles?.includes(ROLE_OF[cell.caller]);
      if (gone && goneCode && canRead)
        expectErrorBody(await w.inject('GET', fillPath(op.path, cell.params), cell.session), 404, goneCode);
    },
    denied:
      gone && gone.roles?.includes('tenant_admin')
        ? async (cell: Cell, w: World) => {
            const res = await w.inject('GET', fillPath(op.path, cell.params), w.a.admin);
            expect({ still: `GET ${fillPath(op.path, cell.params)}`, status: res.statusCode }).toEqual({
              still: `GET ${fillPath(op.path, cell.params)}`,
              status: 200,
            });
          }
        : undefined,
  };
}

/** A success as the document describes it. */
function checkShape(doc: OpenApiDocument, op: Operation, success: number, res: InjectResponse, cell: Cell): void {
  const schema = op.responses[String(success)]?.content?.['application/json']?.schema;
  if (!schema) {
    noBody(res);
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(missingRequired(doc, schema, body, 'body')).toEqual([]);
  const properties = resolve(doc, schema).properties ?? {};
  // An item route answers with the item it names (the caller's own target).
  const last = op.params[op.params.length - 1];
  if (last && op.method !== 'POST' && properties.id) expect({ id: body.id }).toEqual({ id: cell.params[last] });
  // A write answers with what it was sent (text fields; a password is never echoed, nor documented).
  if (op.method !== 'GET' && op.method !== 'DELETE') {
    const sent = Object.entries(cell.body ?? {}).filter(([k, v]) => typeof v === 'string' && k in properties);
    expect(Object.fromEntries(sent.map(([k]) => [k, body[k]]))).toEqual(Object.fromEntries(sent));
  }
}

/** Paths of required properties the value lacks, through nested objects and arrays. */
function missingRequired(doc: OpenApiDocument, schema: Schema, value: unknown, where: string): string[] {
  const s = resolve(doc, schema);
  if (s.type === 'array' || s.items) {
    if (!Array.isArray(value)) return [`${where}: not an array`];
    return s.items ? value.flatMap((v, i) => missingRequired(doc, s.items!, v, `${where}[${i}]`)) : [];
  }
  if (s.type === 'object' || s.properties) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: not an object`];
    const record = value as Record<string, unknown>;
    const missing = (s.required ?? []).filter((k) => !(k in record)).map((k) => `${where}.${k}`);
    const nested = Object.entries(s.properties ?? {})
      .filter(([k]) => record[k] !== undefined && record[k] !== null)
      .flatMap(([k, p]) => missingRequired(doc, p, record[k], `${where}.${k}`));
    return [...missing, ...nested];
  }
  return [];
}

/**
 * Cells at odds with the roles `@Auth` documents: a caller whose role is not admitted must be
 * refused 403; one whose role is admitted but refused 403 needs a `refusedBecause` reason, and a
 * reason for a role no longer admitted is stale. So a change of a route's roles fails its row.
 */
export function againstRoles(op: Operation, cells: Record<Caller, Expected>, row?: MatrixRow): string[] {
  if (!op.roles) return [];
  const roles = op.roles;
  const problems: string[] = [];
  for (const c of CALLERS) {
    if (c === 'anonymous') continue;
    if (isKeyCaller(c) && !op.apiKey) {
      const { status, code } = expected(cells[c]);
      if (status !== 403 || code !== 'API_KEY_NOT_ALLOWED')
        problems.push(
          `${op.key}: ${c} -> ${status} ${code ?? ''}, but @Auth admits no API key (403 API_KEY_NOT_ALLOWED)`,
        );
      continue;
    }
    const admitted = roles.includes(ROLE_OF[c]);
    const status = expected(cells[c]).status;
    // A key refused where its person is refused has the person's reason.
    const reason = row?.refusedBecause?.[c] ?? (isKeyCaller(c) ? row?.refusedBecause?.[PERSON_OF[c]] : undefined);
    if (!admitted && status !== 403)
      problems.push(`${op.key}: ${c} -> ${status}, but @Auth admits only ${roles.join(', ')} (403)`);
    if (admitted && status === 403 && !reason)
      problems.push(`${op.key}: ${c} -> 403 though @Auth admits ${ROLE_OF[c]}: say why in the row's refusedBecause`);
    if (reason && !(admitted && status === 403))
      problems.push(
        `${op.key}: refusedBecause.${c} ("${reason}"), but ${c} -> ${status} and @Auth admits ${roles.join(', ')}`,
      );
  }
  return problems;
}
