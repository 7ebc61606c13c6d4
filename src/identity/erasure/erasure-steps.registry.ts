import { Injectable } from '@nestjs/common';

/** One kind of tenant-owned record outside the tenant database (invitations, API keys, ...). */
export interface TenantErasureStep {
  /** Its name in the erasure receipt's `deleted` counts, e.g. `invitations`, `api_keys`. */
  kind: string;
  /** Deletes the tenant's records of this kind; returns how many went. Idempotent. */
  erase(tenantId: string): Promise<number>;
}

/**
 * The extension point of tenant deletion: a part of the identity core that keeps tenant records
 * in the master database registers a step here (in its `onModuleInit`), and every deletion runs
 * it before the database is dropped and lists its count in the erasure receipt. Accounts and
 * sessions are built in (TenantProvisioner.erase).
 */
@Injectable()
export class TenantErasureSteps {
  private readonly steps = new Map<string, TenantErasureStep>();

  register(step: TenantErasureStep): void {
    if (this.steps.has(step.kind)) throw new Error(`tenant erasure step ${step.kind} registered twice`);
    this.steps.set(step.kind, step);
  }

  all(): TenantErasureStep[] {
    return [...this.steps.values()];
  }
}
