import { Types } from 'mongoose';
import { AuditStreams } from '../src/identity/audit/audit-streams.service';
import { AuditTrail } from '../src/identity/audit/audit-trail.service';
import { hashEvent } from '../src/identity/audit/audit-hash';
import type { AuditEventFields } from '../src/identity/audit/audit.types';
import { TenantRunner } from '../src/identity/tenants/tenant-runner.service';
import { MasterConnection } from '../src/infra/database/master-connection.service';
import { cliOutput, requireBuiltCli } from './support/cli-process';
import { Factory, type TenantSession } from './support/factories';
import { createTestApp, testEnv, type TestApp } from './support/test-app';

type StoredEvent = AuditEventFields & { _id: number | Types.ObjectId; hash: string };

/**
 * The hash chain itself: tampering in the database is detected by verify (HTTP and CLI), parallel
 * writers on two app instances never fork it, and pruning keeps it verifiable from its anchor.
 */
describe('audit chain: tamper evidence, parallel writers, pruning', () => {
  let t: TestApp;
  let t2: TestApp;
  let f: Factory;

  beforeAll(async () => {
    requireBuiltCli();
    t = await createTestApp();
    // A second instance on the same databases, with its own connection pool (another process's view).
    t2 = await createTestApp({ MASTER_DB_NAME: t.config.masterDbName });
    f = new Factory(t.app);
  });
  afterAll(async () => {
    await t2.close();
    await t.close();
  });

  const events = (tenantId: string) =>
    t.app.get(MasterConnection).connection.useDb(`t_${tenantId}`).collection<StoredEvent>('audit_events');
  const marks = (tenantId: string) =>
    t.app
      .get(MasterConnection)
      .connection.useDb(`t_${tenantId}`)
      .collection<{ _id: string; seq: number; hash: string }>('audit_marks');
  /** `n` events written in the tenant's stream through `app`'s AuditTrail (as a job would). */
  const record = (app: TestApp, tenantId: string, n: number, tag = 'x') =>
    app.app
      .get(TenantRunner)
      .run(tenantId, () =>
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            app.app.get(AuditTrail).record({ action: 'test.event', target: { type: 'test', id: `${tag}-${i}` } }),
          ),
        ),
      );
  const verify = async (tenant: TenantSession) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events/verify', headers: tenant.admin.auth });
    expect(res.statusCode).toBe(200);
    return res.json<{ valid: boolean; events: number; first_invalid_id: string | null }>();
  };

  it('an edited, a deleted, an inserted event and a deleted tip are each detected', async () => {
    const tenant = await f.tenant();
    for (let i = 0; i < 8; i++) await record(t, tenant.tenantId, 1, `seq${i}`);
    const coll = events(tenant.tenantId);
    const total = await coll.countDocuments();
    expect(await verify(tenant)).toEqual({ valid: true, events: total, first_invalid_id: null });

    // Edit: one field of event 3.
    const third = (await coll.findOne({ _id: 3 }))!;
    await coll.updateOne({ _id: 3 }, { $set: { outcome: 'failure' } });
    const edited = await verify(tenant);
    expect(edited).toEqual({ valid: false, events: 3, first_invalid_id: '3' });
    await coll.replaceOne({ _id: 3 }, third);
    expect((await verify(tenant)).valid).toBe(true);

    // Delete: event 5 (the gap shows at 6).
    const fifth = (await coll.findOne({ _id: 5 }))!;
    await coll.deleteOne({ _id: 5 });
    const deleted = await verify(tenant);
    expect(deleted).toEqual({ valid: false, events: 5, first_invalid_id: '6' });
    await coll.insertOne(fifth);
    expect((await verify(tenant)).valid).toBe(true);

    // Insert: a forged copy of event 4 with other details, its hash recomputed by the forger.
    const fourth = (await coll.findOne({ _id: 4 }))!;
    const forged = { ...fourth, _id: new Types.ObjectId(), details: { forged: true } };
    forged.hash = hashEvent(forged);
    await coll.insertOne(forged);
    const inserted = await verify(tenant);
    expect(inserted).toEqual({ valid: false, events: expect.any(Number), first_invalid_id: String(forged._id) });
    await coll.deleteOne({ _id: forged._id });
    expect((await verify(tenant)).valid).toBe(true);

    // The newest event deleted: the head mark is ahead of what is stored.
    const tip = (await coll.findOne({ _id: total }))!;
    await coll.deleteOne({ _id: total });
    const tipGone = await verify(tenant);
    expect(tipGone).toEqual({ valid: false, events: total - 1, first_invalid_id: String(total) });
    await coll.insertOne(tip);

    // The CLI answers the same, with exit code 1 while broken.
    const env = testEnv({ MASTER_DB_NAME: t.config.masterDbName, LOG_LEVEL: undefined });
    const second = (await coll.findOne({ _id: 2 }))!;
    await coll.updateOne({ _id: 2 }, { $set: { 'actor.id': 'someone-else' } });
    const broken = await cliOutput(['audit-verify', '--tenant', tenant.tenantId], env);
    expect(broken).toEqual({ code: 1, out: expect.stringContaining('INVALID at event 2') });
    await coll.replaceOne({ _id: 2 }, second);
    const fine = await cliOutput(['audit-verify', '--tenant', tenant.tenantId], env);
    expect(fine).toEqual({ code: 0, out: expect.stringContaining(`valid: ${total} events, head seq ${total} hash`) });
    console.log(
      `audit verify: ${total} events, tampered edit/delete/insert/tip-delete detected at ` +
        `${edited.first_invalid_id}/${deleted.first_invalid_id}/${inserted.first_invalid_id}/${tipGone.first_invalid_id}`,
    );
  });

  it('parallel writers on two app instances leave one valid chain: no seq gap or duplicate', async () => {
    const tenant = await f.tenant();
    const before = await events(tenant.tenantId).countDocuments();
    const fields = (id: string) => ({
      at: new Date(),
      actor: { type: 'system' as const, id: 'system' },
      action: 'test.event',
      target: { type: 'test', id },
      outcome: 'success' as const,
      ip: null,
      request_id: null,
      details: {},
    });
    // 1. The chain itself: 50 appends at once on one stream, 25 from each instance, every one racing.
    const chains = await Promise.all([t, t2].map((app) => app.app.get(AuditStreams).routedTenant(tenant.tenantId)));
    let started = performance.now();
    await Promise.all(
      chains.flatMap((chain, n) => Array.from({ length: 25 }, (_, i) => chain.append(fields(`chain-${n}-${i}`)))),
    );
    const chainMs = performance.now() - started;
    // 2. As the app writes: 50 records at once through AuditTrail (25 per instance), the platform stream too.
    started = performance.now();
    await Promise.all([
      record(t, tenant.tenantId, 25, 'a'),
      record(t2, tenant.tenantId, 25, 'b'),
      ...[t, t2].map((app) =>
        Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            app.app
              .get(AuditTrail)
              .record({ action: 'test.event', target: { type: 'test', id: `p${i}` }, tenantId: null }),
          ),
        ),
      ),
    ]);
    const trailMs = performance.now() - started;
    const stored = await events(tenant.tenantId).find().sort({ _id: 1 }).toArray();
    const n = before + 100;
    expect(stored.length).toBe(n);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const ids = (prefix: string, k: number) =>
      Array.from({ length: 25 }, (_, i) => `${prefix}${k === 2 ? '' : `-${k}`}-${i}`);
    expect(
      stored
        .filter((e) => e.action === 'test.event')
        .map((e) => e.target.id)
        .sort(),
    ).toEqual([...ids('chain', 0), ...ids('chain', 1), ...ids('a', 2), ...ids('b', 2)].sort());
    expect(await verify(tenant)).toEqual({ valid: true, events: n, first_invalid_id: null });
    const platform = await t.app.get(AuditStreams).platform().verify();
    expect(platform.valid).toBe(true);
    console.log(
      `audit parallel writers: 2 app instances, one tenant stream: 50 racing chain appends in ${chainMs.toFixed(0)} ms, ` +
        `then 50 concurrent record() calls (+20 platform) in ${trailMs.toFixed(0)} ms -> chain valid, seqs 1..${n}, ` +
        `no gap or duplicate; platform chain valid (${platform.events} events)`,
    );
  });

  it('pruning moves the anchor: the rest still verifies, and a forged anchor does not', async () => {
    const tenant = await f.tenant();
    await record(t, tenant.tenantId, 5, 'old');
    await new Promise((r) => setTimeout(r, 30));
    const cutAt = new Date();
    await new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 4; i++) await record(t, tenant.tenantId, 1, `new${i}`);
    const coll = events(tenant.tenantId);
    const older = await coll.countDocuments({ at: { $lt: cutAt } });
    const pruned = await t.app
      .get(TenantRunner)
      .run(tenant.tenantId, () => t.app.get(AuditStreams).tenant(tenant.tenantId).prune(cutAt, tenant.tenantId));
    expect(pruned).toBe(older);
    const anchor = (await marks(tenant.tenantId).findOne({ _id: 'anchor' }))!;
    expect(anchor.seq).toBe(older);
    expect(await coll.countDocuments({ _id: { $lte: older } })).toBe(0);
    // The 4 newer events and the `audit.pruned` event that witnesses the anchor.
    expect(await verify(tenant)).toEqual({ valid: true, events: 5, first_invalid_id: null });

    // Someone moves the anchor forward over two more events and deletes them: refused.
    const hidden = (await coll
      .find({ _id: { $lte: older + 2 } })
      .sort({ _id: 1 })
      .toArray()) as StoredEvent[];
    await marks(tenant.tenantId).updateOne({ _id: 'anchor' }, { $set: { seq: older + 2, hash: hidden[1].hash } });
    await coll.deleteMany({ _id: { $lte: older + 2 } });
    expect(await verify(tenant)).toEqual({ valid: false, events: 3, first_invalid_id: String(older + 3) });
    await marks(tenant.tenantId).replaceOne({ _id: 'anchor' }, anchor);
    await coll.insertMany(hidden);
    expect((await verify(tenant)).valid).toBe(true);

    // The CLI: off without AUDIT_RETENTION_DAYS; with --days 0 everything up to now is pruned.
    const env = testEnv({ MASTER_DB_NAME: t.config.masterDbName, LOG_LEVEL: undefined });
    expect(await cliOutput(['audit-prune'], env)).toEqual({
      code: 0,
      out: expect.stringContaining('retention is off'),
    });
    const all = await cliOutput(['audit-prune', '--days', '0'], env);
    expect(all).toEqual({ code: 0, out: expect.stringMatching(/pruned \d+ audit events older than/) });
    expect(await verify(tenant)).toEqual({ valid: true, events: 1, first_invalid_id: null });
    const platform = await cliOutput(['audit-verify'], env);
    expect(platform).toEqual({ code: 0, out: expect.stringContaining('audit chain of platform valid: 1 events') });
    console.log(
      `audit prune: ${pruned} of ${older + 4} events pruned at the anchor (seq ${anchor.seq}); chain valid after; moved anchor detected`,
    );
  });

  it('cost of an audit write', async () => {
    const tenant = await f.tenant();
    const trail = t.app.get(AuditTrail);
    const runner = t.app.get(TenantRunner);
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      await runner.run(tenant.tenantId, async () => {
        const started = performance.now();
        await trail.record({ action: 'test.event', target: { type: 'test', id: String(i) } });
        times.push(performance.now() - started);
      });
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const p = (q: number) => sorted[Math.floor(q * (sorted.length - 1))];
    console.log(
      `audit write cost: 100 sequential record() calls on one tenant stream (FerretDB): mean ${mean.toFixed(2)} ms, ` +
        `p50 ${p(0.5).toFixed(2)} ms, p95 ${p(0.95).toFixed(2)} ms (3 round trips: head mark read, insert, head mark update)`,
    );
    const verifyStarted = performance.now();
    const checked = await runner.run(tenant.tenantId, () => t.app.get(AuditStreams).tenant(tenant.tenantId).verify());
    const verifyMs = performance.now() - verifyStarted;
    expect(checked).toEqual(expect.objectContaining({ valid: true, first_invalid_id: null }));
    console.log(`audit chain verification: ${checked.events} events in ${verifyMs.toFixed(0)} ms`);
  });
});
