import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The operations of the app's OpenAPI document (`/docs-json`), read the way the generated suites
 * need them: method, path, path parameters, the roles `@Auth` admits and the request body schema.
 */

export const TENANT_ROLES = ['tenant_admin', 'user'] as const;
export type Role = 'superadmin' | (typeof TENANT_ROLES)[number];

/** The subset of JSON Schema the document uses. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

/** A documented response: its description and, for a body, its schema by media type. */
export interface DocResponse {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

interface RawOperation {
  security?: unknown[];
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, DocResponse>;
}

export interface Operation {
  /** `METHOD /path`, as the authz matrix and the fixture files name an operation. */
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Path parameters in order of appearance. */
  params: string[];
  /** Query parameters (names). */
  query: Record<string, Schema | undefined>;
  /** Roles admitted, read from the operation's 403 description that `@Auth` writes; null: no bearer security. */
  roles: Role[] | null;
  /** Whether tenant API keys (`X-API-Key`) are admitted: an `apiKey` security entry, from `@Auth({ apiKey: true })`. */
  apiKey: boolean;
  /** JSON request body schema, if any. */
  body?: Schema;
  /** Documented responses by status (`'200'`, `'404'`). */
  responses: Record<string, DocResponse>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// Written by src/common/decorators/auth.decorator.ts into the 403 response of every @Auth route.
const ROLES_DESCRIPTION =
  /^Allowed roles: ([a-z_, ]+)\. (API keys of these roles admitted|API_KEY_NOT_ALLOWED for an API key)$/;

export async function loadOperations(app: NestFastifyApplication): Promise<{ doc: OpenApiDocument; ops: Operation[] }> {
  const res = await app.inject({ method: 'GET', url: '/docs-json' });
  if (res.statusCode !== 200) throw new Error(`/docs-json: ${res.statusCode}`);
  const doc: OpenApiDocument = res.json();
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      let roles: Role[] | null = null;
      if ((op.security ?? []).length > 0) {
        const description = op.responses['403']?.description ?? '';
        const match = ROLES_DESCRIPTION.exec(description);
        if (!match)
          throw new Error(
            `${key}: bearer security but no "Allowed roles: ..." 403 description; is @Auth (src/common/decorators/auth.decorator.ts) on the handler?`,
          );
        roles = match[1].split(/,\s*/) as Role[];
        const keyed = (op.security ?? []).some((s) => typeof s === 'object' && s !== null && 'apiKey' in s);
        if (keyed !== (match[2] === 'API keys of these roles admitted'))
          throw new Error(`${key}: the apiKey security entry and the 403 description disagree`);
      }
      const parameters = op.parameters ?? [];
      ops.push({
        key,
        method: method.toUpperCase() as Operation['method'],
        path,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]),
        query: Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        roles,
        apiKey: (op.security ?? []).some((s) => typeof s === 'object' && s !== null && 'apiKey' in s),
        body: op.requestBody?.content['application/json']?.schema,
        responses: op.responses,
      });
    }
  }
  return { doc, ops };
}

/** A bearer operation that a tenant member (tenant_admin or user) may call. */
export const isTenantScoped = (op: Operation): boolean =>
  op.roles !== null && op.roles.some((r) => (TENANT_ROLES as readonly string[]).includes(r));

/** The schema a `$ref` (or a one-element `allOf`) stands for. */
export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(doc, target);
  }
  if (schema.allOf?.length === 1) return resolve(doc, { ...schema.allOf[0], ...schema, allOf: undefined });
  return schema;
}

/**
 * A valid request body derived from the schema: every property it can fill (so an update changes
 * something to read back), strings from `text()` (a fresh marker), emails, enums (default first),
 * lengths and patterns respected. Throws when it cannot, naming the field, so that the developer
 * adds the body to the module's fixture file instead.
 */
export function deriveBody(doc: OpenApiDocument, schema: Schema, text: () => string, where: string): unknown {
  const s = resolve(doc, schema);
  if (s.enum?.length) return s.default !== undefined ? s.default : s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, prop] of Object.entries(s.properties ?? {})) {
        out[name] = deriveBody(doc, prop, text, `${where}.${name}`);
      }
      return out;
    }
    case 'string': {
      let value = s.format === 'email' ? `${text()}@example.com` : text();
      if (s.minLength && value.length < s.minLength) value = value.padEnd(s.minLength, 'x');
      if (s.maxLength && value.length > s.maxLength) value = value.slice(0, s.maxLength);
      if (s.pattern && !new RegExp(s.pattern).test(value))
        throw new Error(`${where}: cannot derive a string matching ${s.pattern}; give a body in the fixture file`);
      return value;
    }
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'array':
      return [];
    case undefined:
    default:
      throw new Error(`${where}: cannot derive a value of type ${String(s.type)}; give a body in the fixture file`);
  }
}
