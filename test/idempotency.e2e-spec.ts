import { randomBytes, randomUUID } from 'node:crypto';
import type { ParameterObject } from '@nestjs/swagger';
import type { Response as InjectResponse } from 'light-my-request';
import { buildOpenApiDocument } from '../src/infra/http/docs';
import { idempotencyRecordId } from '../src/infra/idempotency/request-fingerprint';
import { idempotentOperations } from '../src/infra/idempotency/idempotency.rule';
import {
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_MS,
  IdempotencyStore,
} from '../src/infra/idempotency/idempotency.store';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session, strongPassword, uniqueEmail } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

const RETRIES = 20;

/**
 * Idempotency-Key on the create routes, against the real app, FerretDB and Redis: retries that
 * cannot duplicate, kept across a restart of the app, scoped per tenant.
 */
describe('Idempotency-Key', () => {
  const masterDb = `m_idem_${randomBytes(5).toString('hex')}`;
  let t: TestApp;
  let f: Factory;

  beforeAll(async () => {
    t = await createTestApp({ MASTER_DB_NAME: masterDb });
    f = new Factory(t.app);
  });
  afterAll(() => t.close());

  const post = (url: string, session: Session, payload: unknown, key?: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...session.auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: payload as Record<string, unknown>,
    });
  const countOf = async (url: string, session: Session): Promise<number> => {
    const res = await t.app.inject({ method: 'GET', url, headers: session.auth });
    expect(res.statusCode).toBe(200);
    return res.json<{ total: number }>().total;
  };

  /**
   * RETRIES identical requests at once, then, like a client honouring 409 + Retry-After, each
   * one that was told "still running" once more: every request ends with the first response.
   */
  async function burst(url: string, session: Session, payload: unknown, key: string) {
    const first = await Promise.all(Array.from({ length: RETRIES }, () => post(url, session, payload, key)));
    const statuses: Record<number, number> = {};
    for (const res of first) statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    for (const res of first.filter((r) => r.statusCode === 409)) {
      const body = expectErrorBody(res, 409, 'IDEMPOTENCY_KEY_IN_USE');
      expect(body.detail).toMatch(/still running/);
      expect(res.headers['retry-after']).toBe('1');
    }
    const final: InjectResponse[] = [];
    for (const res of first) final.push(res.statusCode === 409 ? await post(url, session, payload, key) : res);
    return { statuses, final, replayed: final.filter((r) => r.headers['idempotent-replayed'] === 'true').length };
  }

  it('the OpenAPI document offers the optional header on every authenticated create (POST answering 201)', () => {
    const doc = buildOpenApiDocument(t.app);
    const ops = idempotentOperations(doc);
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /api/v1/tenants',
        'POST /api/v1/users',
        'POST /api/v1/tenants/{tenant_id}/users',
        'POST /api/v1/projects',
      ]),
    );
    // Anonymous sign-up is out: its response carries tokens, never stored (idempotency.rule.ts).
    expect(ops).not.toContain('POST /api/v1/auth/register');
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item) as Array<[string, { parameters?: ParameterObject[] }]>) {
        const header = (op.parameters ?? []).find((p) => p.name === 'Idempotency-Key');
        expect({ op: `${method.toUpperCase()} ${path}`, header: header?.in, required: header?.required }).toEqual(
          ops.includes(`${method.toUpperCase()} ${path}`)
            ? { op: `${method.toUpperCase()} ${path}`, header: 'header', required: false }
            : { op: `${method.toUpperCase()} ${path}`, header: undefined, required: undefined },
        );
      }
    }
  });

  it(`${RETRIES} parallel retries with one key create one resource and all get one body; a restart keeps it; another body -> 422; keys are per tenant`, async () => {
    const a = await f.tenant();
    const b = await f.tenant();
    const key = randomUUID();
    const payload = { name: `Idem ${randomBytes(3).toString('hex')}`, description: 'retried' };

    // Projects: nothing but the key stops a duplicate (no unique field).
    const projects = await burst('/api/v1/projects', a.admin, payload, key);
    const bodies = new Set(projects.final.map((r) => r.body));
    expect(projects.final.map((r) => r.statusCode)).toEqual(Array(RETRIES).fill(201));
    expect(bodies.size).toBe(1);
    expect(projects.replayed).toBe(RETRIES - 1);
    expect(await countOf('/api/v1/projects', a.admin)).toBe(1);
    const firstBody = [...bodies][0];

    // Users (tenant admin) and tenants (superadmin, tenantless scope): the same, through the same rule.
    const userPayload = { email: uniqueEmail('idem'), password: strongPassword(), full_name: 'Idem User' };
    const users = await burst('/api/v1/users', a.admin, userPayload, randomUUID());
    expect(new Set(users.final.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    expect(users.final[0].statusCode).toBe(201);
    const root = await f.superadminSession();
    const domain = `idem-${randomBytes(4).toString('hex')}`;
    const tenantPayload = {
      name: 'Idem Tenant',
      domain,
      email: uniqueEmail('idem-tenant'),
      admin_name: 'Idem Admin',
      admin_password: strongPassword(),
    };
    const tenants = await burst('/api/v1/tenants', root, tenantPayload, randomUUID());
    expect(new Set(tenants.final.map((r) => `${r.statusCode} ${r.body}`)).size).toBe(1);
    expect(tenants.final[0].statusCode).toBe(201);

    // A restart of the app: the stored response answers, nothing is created.
    await t.close();
    t = await createTestApp({ MASTER_DB_NAME: masterDb });
    f = new Factory(t.app);
    const afterRestart = await post('/api/v1/projects', a.admin, payload, key);
    expect({ status: afterRestart.statusCode, body: afterRestart.body }).toEqual({ status: 201, body: firstBody });
    expect(afterRestart.headers['idempotent-replayed']).toBe('true');
    expect(await countOf('/api/v1/projects', a.admin)).toBe(1);

    // The same key with another body (or on another route) is refused, and creates nothing.
    const otherBody = await post('/api/v1/projects', a.admin, { ...payload, name: 'Something else' }, key);
    expect(expectErrorBody(otherBody, 422, 'IDEMPOTENCY_KEY_REUSED').detail).toMatch(/different request/);
    const otherRoute = await post('/api/v1/users', a.admin, userPayload, key);
    expectErrorBody(otherRoute, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await countOf('/api/v1/projects', a.admin)).toBe(1);

    // Tenant B reusing A's key (same body) creates B's own project, never sees A's.
    const inB = await post('/api/v1/projects', b.admin, payload, key);
    expect(inB.statusCode).toBe(201);
    expect(inB.headers['idempotent-replayed']).toBeUndefined();
    expect(inB.json().id).not.toBe(JSON.parse(firstBody).id);
    expect(await countOf('/api/v1/projects', b.admin)).toBe(1);
    expect(await countOf('/api/v1/projects', a.admin)).toBe(1);

    console.log(
      `idempotent retries: ${RETRIES} parallel POST /projects with one key -> first answers ${JSON.stringify(projects.statuses)}, ` +
        `after 409 retries ${RETRIES} x 201 with ${bodies.size} distinct body (${projects.replayed} replayed), 1 project created; ` +
        `users ${JSON.stringify(users.statuses)} and tenants ${JSON.stringify(tenants.statuses)} likewise 1 body; ` +
        `after an app restart 201 replayed with the same body; another body 422 IDEMPOTENCY_KEY_REUSED; ` +
        `tenant B with A's key 201 with its own project`,
    );
  });

  it('only successes are kept: a failed request frees its key; a malformed key is refused', async () => {
    const a = await f.tenant();
    const key = randomUUID();
    const invalid = await post('/api/v1/projects', a.admin, { name: '' }, key);
    expectErrorBody(invalid, 422, 'VALIDATION_FAILED');
    const fixed = await post('/api/v1/projects', a.admin, { name: 'Fixed' }, key);
    expect(fixed.statusCode).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();

    for (const bad of ['', 'has space', 'x'.repeat(256), 'naïve']) {
      const res = await post('/api/v1/projects', a.admin, { name: 'Bad key' }, bad);
      expectErrorBody(res, 400, 'IDEMPOTENCY_KEY_INVALID');
    }
    expect(await countOf('/api/v1/projects', a.admin)).toBe(1);
    // Without a key, a create is a plain create.
    expect((await post('/api/v1/projects', a.admin, { name: 'Fixed' })).statusCode).toBe(201);
    expect(await countOf('/api/v1/projects', a.admin)).toBe(2);
  });

  it('a record past 24 h, or a claim orphaned past its lease, gives way; purge deletes expired records', async () => {
    const store = t.app.get(IdempotencyStore);
    const id = idempotencyRecordId('test-scope', randomUUID());
    const now = Date.now();
    const first = await store.claim(id, 'fp-1', new Date(now));
    expect(first.kind).toBe('claimed');
    expect((await store.claim(id, 'fp-1', new Date(now))).kind).toBe('in-progress');
    expect((await store.claim(id, 'fp-2', new Date(now))).kind).toBe('mismatch');
    // The claimer died: after the lease a retry takes the key over.
    const takeover = await store.claim(id, 'fp-1', new Date(now + IDEMPOTENCY_LEASE_MS + 1));
    expect(takeover.kind).toBe('claimed');
    if (takeover.kind !== 'claimed' || first.kind !== 'claimed') throw new Error('unreachable');
    // The dead request's late completion does not overwrite the new claim's.
    await store.complete(id, first.claim, 201, '{"who":"first"}');
    await store.complete(id, takeover.claim, 201, '{"who":"takeover"}');
    expect(await store.claim(id, 'fp-1', new Date(now + IDEMPOTENCY_LEASE_MS + 2))).toEqual({
      kind: 'replay',
      status: 201,
      body: '{"who":"takeover"}',
    });
    // 24 h later the key is free again, and purge removes what has expired.
    const later = new Date(now + IDEMPOTENCY_LEASE_MS + IDEMPOTENCY_RETENTION_MS + 10);
    expect((await store.claim(id, 'fp-2', later)).kind).toBe('claimed');
    expect(await store.purgeExpired(new Date(later.getTime() + IDEMPOTENCY_RETENTION_MS + 1))).toBeGreaterThanOrEqual(
      1,
    );
    expect((await store.claim(id, 'fp-3', new Date(now))).kind).toBe('claimed');
  });
});
