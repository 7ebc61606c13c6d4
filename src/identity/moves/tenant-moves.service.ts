import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { isObjectId, newId } from '../../common/ids';
import { type TenantMoveResponse, toTenantMoveResponse } from '../dto/tenant-move.response';
import { LeaseService } from '../leases/lease.service';
import { TenantDirectory, tenantNotFound } from '../tenants/tenant-directory.service';
import { TenantPlacement } from '../tenants/tenant-placement.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { TenantMover } from './tenant-mover.service';
import { ACTIVE_MOVE_STATUSES, type TenantMove } from './tenant-move.schema';
import { TenantMovesError } from './tenant-moves.errors';
import { TenantMovesRepository } from './tenant-moves.repository';

/** POST/GET /tenants/{tenant_id}/move: starts a live move (run in the background) and reports it. */
@Injectable()
export class TenantMovesService {
  constructor(
    private readonly moves: TenantMovesRepository,
    private readonly tenants: TenantsRepository,
    private readonly placement: TenantPlacement,
    private readonly leases: LeaseService,
    private readonly mover: TenantMover,
    private readonly directory: TenantDirectory,
  ) {}

  async start(tenantId: string, to: string): Promise<TenantMoveResponse> {
    if (!isObjectId(tenantId)) throw tenantNotFound();
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || (tenant.status !== 'active' && tenant.status !== 'suspended')) throw tenantNotFound();
    this.placement.assertKnown(to);
    // Serialised per tenant: the check of the previous move and the insert of the new one.
    const move = await this.leases.withLease(`tenant-move-start:${tenantId}`, async () => {
      const previous = await this.moves.find(tenantId);
      if (previous && ACTIVE_MOVE_STATUSES.includes(previous.status)) throw inProgress();
      if (tenant.cluster === to)
        throw AppError.validation([{ field: 'cluster', message: `the tenant is already on ${to}` }]);
      await this.moves.removeFinished(tenantId);
      const fresh: TenantMove = {
        _id: tenant._id,
        move_id: newId(),
        from: tenant.cluster,
        to,
        status: 'copying',
        copied: 0,
        total: 0,
        error: null,
        started_at: new Date(),
        finished_at: null,
      };
      if (!(await this.moves.insert(fresh))) throw inProgress();
      await this.tenants.setRouting(tenantId, {}, { move: { id: String(fresh.move_id), status: 'copying' } });
      await this.directory.forget(tenantId);
      return fresh;
    });
    void this.mover.drive(tenantId);
    return toTenantMoveResponse(move);
  }

  async get(tenantId: string): Promise<TenantMoveResponse> {
    if (!isObjectId(tenantId)) throw tenantNotFound();
    const move = await this.moves.find(tenantId);
    if (!move) throw AppError.notFound(TenantMovesError.TENANT_MOVE_NOT_FOUND, 'This tenant has never been moved');
    return toTenantMoveResponse(move);
  }
}

function inProgress(): AppError {
  return AppError.conflict(TenantMovesError.TENANT_MOVE_IN_PROGRESS, 'A move of this tenant is in progress');
}
