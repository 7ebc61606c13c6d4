import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { TenantsService } from './tenants.service';

/** How often each instance looks for deletions left unfinished. */
const SWEEP_EVERY_MS = 60_000;
/** Older than any DELETE in progress (its drain time plus the acknowledgements): left unfinished. */
const STUCK_AFTER_MS = 2 * 60_000;

/**
 * Finishes tenant deletions left `deleting`: one answered 503 (an instance could not confirm the
 * fence) and was not repeated, or the instance running it stopped between the status change and
 * the drop. Such a tenant is refused everywhere but keeps its database until this runs the same
 * fenced deletion again (every step is idempotent; two instances sweeping at once is harmless).
 */
@Injectable()
export class TenantDeletionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantDeletionSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly tenants: TenantsService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(STUCK_AFTER_MS), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Resumes every deletion left `deleting` for longer than `stuckAfterMs`; returns those finished. */
  async sweep(stuckAfterMs: number): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    const finished: string[] = [];
    try {
      for (const id of await this.tenants.stuckDeletions(stuckAfterMs)) {
        try {
          await this.tenants.remove(id);
          finished.push(id);
          this.logger.log(`finished the deletion of tenant ${id}`);
        } catch (err) {
          this.logger.warn(`tenant ${id} still deleting: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      this.logger.warn(`deletion sweep failed (${(err as Error).name})`);
    } finally {
      this.running = false;
    }
    return finished;
  }
}
