import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, type TenantSession } from './support/factories';

/** A body field: its name, its schema type, and whether the schema admits null (`nullable: true`: null clears it). */
type Field = [string, string | undefined, boolean];
type Op = { method: string; path: string; bodyFields: Field[]; takesBody: boolean };

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Bodies that must all be refused, for one field of one operation. */
function badBodies(field: string, type: string | undefined, nullable: boolean): Array<[string, string]> {
  const json = (v: unknown) => JSON.stringify(v);
  return [
    ['$ne operator', json({ [field]: { $ne: null } })],
    ['$gt operator', json({ [field]: { $gt: '' } })],
    ['$where', json({ [field]: { $where: 'sleep(1000) || true' } })],
    ['$regex', json({ [field]: { $regex: '.*' } })],
    ...(type === 'number' || type === 'integer' ? [] : [['number', json({ [field]: 12345 })] as [string, string]]),
    ...(type === 'boolean' ? [] : [['boolean', json({ [field]: true })] as [string, string]]),
    ...(nullable ? [] : [['null', json({ [field]: null })] as [string, string]]),
    ['array', json({ [field]: ['a', 'b'] })],
    ['huge string', json({ [field]: 'x'.repeat(200_000) })],
    ['deep nesting', json({ [field]: nested(500) })],
    ['huge array', json({ [field]: Array.from({ length: 20_000 }, (_, i) => i) })],
    ['__proto__ key', `{"${field}": 1, "__proto__": {"role": "superadmin", "polluted": true}}`],
    ['constructor.prototype', `{"${field}": 1, "constructor": {"prototype": {"polluted": true}}}`],
    ['unknown field', json({ [field]: 'x', tenant_id: 'aaaaaaaaaaaaaaaaaaaaaaaa' })],
    ['$set at top level', json({ $set: { [field]: 'x' } })],
  ];
}

const WHOLE_BODIES: Array<[string, string, string]> = [
  ['array body', '[]', 'application/json'],
  ['string body', '"hello"', 'application/json'],
  ['number body', '42', 'application/json'],
  ['null body', 'null', 'application/json'],
  ['malformed JSON', '{"a": ', 'application/json'],
  ['text/plain', 'a=b', 'text/plain'],
  ['xml', '<a>b</a>', 'application/xml'],
  ['multipart', '--x\r\n\r\nb\r\n--x--', 'multipart/form-data; boundary=x'],
  ['2 MiB body', JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }), 'application/json'],
];

const BAD_IDS = ['not-an-id', '%24ne', `${'a'.repeat(23)}g`, '..%2F..%2Fadmin', "'%20OR%201%3D1", 'x'.repeat(300)];
const BAD_QUERIES = [
  'skip=',
  'skip=0x10',
  'limit=1e1',
  'limit=%2B5',
  'limit=5.0',
  'limit=%20%201',
  'limit=abc',
  'limit=0',
  'limit=101',
  'skip=-1',
  'limit=1e3',
  'limit=1&limit=2',
  'limit[$gt]=1',
  'skip[$ne]=0',
  'status[$ne]=x',
  'page=',
  'page=0',
  'page=0x10',
  'size=1e1',
  'size=101',
  'page=1&page=2',
  'page[$gt]=1',
  'page=1&limit=5',
];

/**
 * Injection and malformed input on every body, query and path parameter of the OpenAPI document:
 * each answers a 4xx in the documented shape, quickly, and changes nothing.
 */
describe('malformed input and injection', () => {
  let t: TestApp;
  let root: Session;
  let tenant: TenantSession;
  let user: Session;
  let projectId: string;
  let ops: Op[];

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t.app);
    root = await f.superadminSession();
    tenant = await f.tenant();
    user = await f.member(tenant);
    projectId = await f.project(tenant.admin);
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    ops = [];
    for (const [path, item] of Object.entries<
      Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
    >(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const ref = op.requestBody ? Object.values(op.requestBody.content)[0].schema.$ref : undefined;
        const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : undefined;
        ops.push({
          method: method.toUpperCase(),
          path,
          bodyFields: schema
            ? Object.entries<{ type?: string; nullable?: boolean }>(schema.properties).map(([name, p]): Field => [
                name,
                p.type,
                p.nullable === true,
              ])
            : [],
          takesBody: op.requestBody !== undefined,
        });
      }
    }
  });
  afterAll(() => t.close());

  function fill(path: string): string {
    return path
      .replace('{tenant_id}', tenant.tenantId)
      .replace('{user_id}', user.id)
      .replace('{project_id}', projectId);
  }
  const headersFor = (path: string) => (path.startsWith('/api/v1/tenants') ? root.auth : tenant.admin.auth);

  async function snapshot(): Promise<string> {
    const reads = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/v1/tenants?limit=100', headers: root.auth }),
      t.app.inject({ method: 'GET', url: '/api/v1/users?limit=100', headers: tenant.admin.auth }),
      t.app.inject({ method: 'GET', url: '/api/v1/projects?limit=100', headers: tenant.admin.auth }),
    ]);
    return reads.map((r) => r.body).join('\n');
  }

  it('refuses every bad body, query and path parameter with a 4xx, and changes nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    let requests = 0;
    let slowest = 0;
    const send = async (
      label: string,
      method: string,
      url: string,
      payload?: string,
      contentType = 'application/json',
    ) => {
      const started = performance.now();
      const res = await t.app.inject({
        method: method as 'POST',
        url,
        headers: { ...headersFor(url), ...(payload !== undefined ? { 'content-type': contentType } : {}) },
        payload,
      });
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      requests += 1;
      if (res.statusCode < 400 || res.statusCode >= 500)
        failures.push(`${label}: ${method} ${url} -> ${res.statusCode}`);
      else expectErrorBody(res, res.statusCode, JSON.parse(res.body).code);
      if (ms > 2000) failures.push(`${label}: ${method} ${url} took ${Math.round(ms)} ms`);
    };

    for (const op of ops) {
      const url = fill(op.path);
      for (const [field, type, nullable] of op.bodyFields) {
        for (const [label, body] of badBodies(field, type, nullable))
          await send(`${field} ${label}`, op.method, url, body);
      }
      // Whole-body garbage where the document says a JSON body is taken (a bodyless POST such as
      // logout-all or resend-verification ignores a body, like any route without one).
      if (['POST', 'PUT', 'PATCH'].includes(op.method) && op.takesBody) {
        for (const [label, body, type] of WHOLE_BODIES) await send(label, op.method, url, body, type);
      }
      if (
        op.method === 'GET' &&
        !op.path.includes('{') &&
        /tenants|users|projects/.test(op.path) &&
        !op.path.endsWith('/me')
      ) {
        for (const q of BAD_QUERIES) await send(`query ${q}`, 'GET', `${url}?${q}`);
      }
      for (const param of op.path.match(/\{[^}]+\}/g) ?? []) {
        for (const bad of BAD_IDS)
          await send(
            `${param}=${bad}`,
            op.method,
            fill(op.path.replace(param, bad)),
            op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
          );
      }
    }
    console.log(
      `malformed input: ${requests} requests, ${failures.length} not a clean 4xx, slowest ${Math.round(slowest)} ms`,
    );
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });
});
