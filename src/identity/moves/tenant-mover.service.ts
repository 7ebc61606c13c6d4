import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AuditTrail } from '../audit/audit-trail.service';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { tenantDbName } from '../../infra/tenancy/tenant-db-name';
import { ROUTE_TTL_MS, TenantRouting } from '../../infra/tenancy/tenant-routing.service';
import { LeaseService } from '../leases/lease.service';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { HeldLease, LeaseLost } from './move-lease';
import { MoveSteps, MoveAbort } from './move-steps';
import { ACTIVE_MOVE_STATUSES, type MoveStatus, type TenantMove } from './tenant-move.schema';
import { TenantMovesRepository } from './tenant-moves.repository';

/** How often a failed step (not an abort) is repeated before the move is rolled back. */
const STEP_RETRIES = 3;
const RETRY_DELAY_MS = 1000;

/**
 * Runs a tenant's move as a persisted state machine, one worker at a time (a lease in the master
 * database), resumable by any instance after a crash (TenantMoveResumer):
 *
 * - `copying`: the target database is emptied, then collections, indexes and documents are
 *   copied in `_id` order (upserts: a resumed pass never duplicates). Reads and writes go on at
 *   the source. A crash restarts this step; a failure rolls back.
 * - `verifying`: the write fence goes up (record `moving`, pushed to every instance); after the
 *   fence has settled, a catch-up makes the target equal to the source (per-document hashes),
 *   then per collection counts and SHA-256 are compared (up to 3 rounds). A crash repeats this
 *   step; a mismatch or failure rolls back: fence lifted, target dropped, tenant untouched.
 * - `switching`: the record's cluster becomes the target (conditional on the source), every
 *   instance's routing is told, and once every instance must have re-routed, the fence is lifted
 *   and the source dropped. Never rolled back: a failure here is retried until done.
 */
@Injectable()
export class TenantMover {
  private readonly logger = new Logger(TenantMover.name);
  /** Tenants whose move a worker of this process is running. */
  private readonly running = new Set<string>();

  constructor(
    private readonly moves: TenantMovesRepository,
    private readonly tenants: TenantsRepository,
    private readonly clusters: ClusterConnections,
    private readonly routing: TenantRouting,
    private readonly directory: TenantDirectory,
    private readonly leases: LeaseService,
    private readonly steps: MoveSteps,
    private readonly audit: AuditTrail,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * How long after a routing change every instance is known to follow it: pushed at once over
   * Redis, re-read after ROUTE_TTL_MS by one that missed the message, and a write sent just
   * before is answered (or failed) within the operation deadline.
   */
  get settleMs(): number {
    return ROUTE_TTL_MS + this.config.mongoOperationTimeoutMs;
  }

  isRunning(tenantId: string): boolean {
    return this.running.has(tenantId);
  }

  /** Runs or resumes the tenant's move unless another worker holds it; never throws. */
  async drive(tenantId: string): Promise<void> {
    if (this.running.has(tenantId)) return;
    this.running.add(tenantId);
    try {
      const key = `tenant-move:${tenantId}`;
      const owner = await this.leases.tryAcquire(key, this.config.moveLeaseMs);
      if (!owner) return;
      const lease = new HeldLease(this.leases, key, owner, this.config.moveLeaseMs);
      try {
        await this.run(tenantId, lease);
      } finally {
        await lease.release();
      }
    } catch (err) {
      // Left as it is: the resumer picks the move up again (its state says where).
      this.logger.warn(`move of tenant ${tenantId} interrupted (${(err as Error).name}); it will be resumed`);
    } finally {
      this.running.delete(tenantId);
    }
  }

  private async run(tenantId: string, lease: HeldLease): Promise<void> {
    let failures = 0;
    for (;;) {
      const move = await this.moves.find(tenantId);
      if (!move || !ACTIVE_MOVE_STATUSES.includes(move.status)) return;
      lease.assert();
      try {
        await this.step(tenantId, move, lease);
      } catch (err) {
        // After the switch the target is the tenant's database: only forward (retried).
        if (err instanceof LeaseLost || move.status === 'switching') throw err;
        // A database that timed out or blinked (the driver may wrap it, e.g. in a bulk write
        // error): the step is repeated, a few times (each step can be). Only then rolled back.
        if (!(err instanceof MoveAbort) && ++failures <= STEP_RETRIES) {
          this.logger.warn(`move of tenant ${tenantId}: ${move.status} failed (${(err as Error).name}); repeating it`);
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        const reason = err instanceof MoveAbort ? err.message : `${move.status} failed (${(err as Error).name})`;
        await this.rollBack(tenantId, move, reason);
        return;
      }
    }
  }

  private async step(tenantId: string, move: TenantMove, lease: HeldLease): Promise<void> {
    switch (move.status) {
      case 'copying':
        await this.steps.copy(tenantId, move, lease);
        return this.setStatus(tenantId, move, 'verifying');
      case 'verifying':
        await this.steps.fence(tenantId, move, this.settleMs);
        await this.steps.catchUpAndVerify(tenantId, move, lease);
        return this.setStatus(tenantId, move, 'switching');
      case 'switching':
        await this.steps.switchOver(tenantId, move, lease, ROUTE_TTL_MS);
        return this.setStatus(tenantId, move, 'done');
      case 'done':
      case 'failed':
        return;
    }
  }

  private async setStatus(tenantId: string, move: TenantMove, status: MoveStatus, error?: string): Promise<void> {
    const finished = status === 'done' || status === 'failed';
    await this.moves.update(tenantId, {
      status,
      ...(finished ? { finished_at: new Date() } : {}),
      ...(error ? { error } : {}),
    });
    await this.tenants.setRouting(tenantId, {}, { move: { id: String(move.move_id), status } });
    await this.directory.forget(tenantId);
    this.logger.log(`move ${String(move.move_id)} of tenant ${tenantId} (${move.from} -> ${move.to}): ${status}`);
    // The end of a move, in the platform stream (a background worker: the actor is `system`).
    if (finished)
      await this.audit.record({
        action: 'tenant.moved',
        target: { type: 'tenant', id: tenantId },
        outcome: status === 'done' ? 'success' : 'failure',
        details: { move_id: String(move.move_id), from: move.from, to: move.to, ...(error ? { error } : {}) },
        tenantId: null,
      });
  }

  /** Before the switch only: the tenant stays on the source, its writes resume, the target goes. */
  private async rollBack(tenantId: string, move: TenantMove, reason: string): Promise<void> {
    this.logger.error(`move ${String(move.move_id)} of tenant ${tenantId} failed: ${reason}; rolling back`);
    await this.tenants.setRouting(tenantId, { cluster: move.from }, { moving: false });
    await this.routing.announce(tenantId, { cluster: move.from, moving: false });
    let note = '';
    await this.clusters
      .connection(move.to)
      .getClient()
      .db(tenantDbName(tenantId))
      .dropDatabase()
      .catch(
        () => (note = `; its partial copy on ${move.to} could not be dropped (drop ${tenantDbName(tenantId)} there)`),
      );
    await this.setStatus(tenantId, move, 'failed', reason + note);
  }
}
