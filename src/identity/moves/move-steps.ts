import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { tenantDbName } from '../../infra/tenancy/tenant-db-name';
import { TenantRouting } from '../../infra/tenancy/tenant-routing.service';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import type { HeldLease } from './move-lease';
import { collectionNames, copyCollection, copyIndexes, databaseDigest, syncCollection } from './tenant-copy';
import type { TenantMove } from './tenant-move.schema';
import { TenantMovesRepository } from './tenant-moves.repository';

const VERIFY_ROUNDS = 3;
const SERVED = ['active', 'suspended'];

/** A move that cannot go on (the tenant changed under it, or the copy does not verify): rolled back. */
export class MoveAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveAbort';
  }
}

/** The work of each state of a move (TenantMover runs them and records the transitions). */
@Injectable()
export class MoveSteps {
  private readonly logger = new Logger(MoveSteps.name);

  constructor(
    private readonly moves: TenantMovesRepository,
    private readonly tenants: TenantsRepository,
    private readonly clusters: ClusterConnections,
    private readonly routing: TenantRouting,
    private readonly directory: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async copy(tenantId: string, move: TenantMove, lease: HeldLease): Promise<void> {
    await this.assertOnSource(tenantId, move);
    const { source, target } = this.databases(tenantId, move);
    // A fresh target: a resumed copy starts over (the tenant is served from the source meanwhile).
    lease.assert();
    await target.dropDatabase();
    const names = await collectionNames(source);
    const counts = await Promise.all(names.map((name) => source.collection(name).countDocuments()));
    let copied = 0;
    await this.moves.update(tenantId, { copied, total: counts.reduce((a, b) => a + b, 0) });
    for (const name of names) {
      await copyIndexes(source, target, name);
      await copyCollection(source, target, name, async (batch) => {
        lease.assert();
        copied += batch;
        await this.moves.update(tenantId, { copied });
        if (copied > 0) await this.pauseIf('copy', tenantId);
      });
    }
  }

  /** Raises the write fence everywhere and waits until no instance can still write at the source. */
  async fence(tenantId: string, move: TenantMove, settleMs: number): Promise<void> {
    await this.assertOnSource(tenantId, move);
    await this.tenants.setRouting(tenantId, { cluster: move.from }, { moving: true });
    await this.routing.announce(tenantId, { cluster: move.from, moving: true });
    await sleep(settleMs);
  }

  async catchUpAndVerify(tenantId: string, move: TenantMove, lease: HeldLease): Promise<void> {
    const { source, target } = this.databases(tenantId, move);
    let copied = (await this.moves.find(tenantId))?.copied ?? 0;
    for (let round = 1; round <= VERIFY_ROUNDS; round++) {
      lease.assert();
      const names = await collectionNames(source);
      for (const name of names) {
        await copyIndexes(source, target, name);
        copied += await syncCollection(source, target, name);
      }
      for (const extra of await collectionNames(target)) if (!names.includes(extra)) await target.dropCollection(extra);
      await this.moves.update(tenantId, { copied });
      const [want, got] = await Promise.all([databaseDigest(source), databaseDigest(target)]);
      const differ = Object.keys({ ...want, ...got }).filter(
        (name) => want[name]?.count !== got[name]?.count || want[name]?.sha256 !== got[name]?.sha256,
      );
      if (differ.length === 0) return;
      this.logger.warn(`move of tenant ${tenantId}: round ${round} differs in ${differ.join(', ')}`);
    }
    throw new MoveAbort(`verification failed: the copy on ${move.to} does not match the source`);
  }

  async switchOver(tenantId: string, move: TenantMove, lease: HeldLease, settleMs: number): Promise<void> {
    lease.assert();
    let tenant = await this.tenants.findById(tenantId);
    if (tenant?.cluster === move.from) {
      await this.tenants.setRouting(tenantId, { cluster: move.from, moving: true }, { cluster: move.to });
      tenant = await this.tenants.findById(tenantId);
    }
    if (!tenant) throw new Error('tenant record missing at the switch'); // deleted: nothing to serve
    if (tenant.cluster !== move.to) throw new Error('the switch did not take');
    await this.pauseIf('switch', tenantId);
    await this.routing.announce(tenantId, { cluster: move.to, moving: true });
    await this.directory.forget(tenantId);
    // Instances that still route to the source read the same data there until they re-route (the
    // fence has been up since before the catch-up: no write of theirs is still on its way).
    await sleep(settleMs);
    lease.assert();
    // FerretDB writes an update back as a whole document: re-check before anything is dropped.
    if ((await this.tenants.findById(tenantId))?.cluster !== move.to) throw new Error('the switch was overwritten');
    await this.tenants.setRouting(tenantId, { cluster: move.to }, { moving: false });
    await this.routing.announce(tenantId, { cluster: move.to, moving: false });
    const { source } = this.databases(tenantId, move);
    await source.dropDatabase();
  }

  /** Test hook (MOVE_PAUSE_AT, refused in production): waits here forever, lease kept. */
  private async pauseIf(at: 'copy' | 'switch', tenantId: string): Promise<void> {
    if (this.config.movePauseAt !== at) return;
    this.logger.warn(`move of tenant ${tenantId} paused at ${at} (MOVE_PAUSE_AT test hook)`);
    await new Promise<never>(() => undefined);
  }

  private async assertOnSource(tenantId: string, move: TenantMove): Promise<void> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || !SERVED.includes(tenant.status)) throw new MoveAbort('the tenant was deleted during the move');
    if (tenant.cluster !== move.from) throw new MoveAbort(`the tenant is no longer on ${move.from}`);
  }

  private databases(tenantId: string, move: TenantMove): { source: mongo.Db; target: mongo.Db } {
    const name = tenantDbName(tenantId);
    return {
      source: this.clusters.connection(move.from).getClient().db(name),
      target: this.clusters.connection(move.to).getClient().db(name),
    };
  }
}
