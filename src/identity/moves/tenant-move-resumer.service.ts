import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { MasterConnection } from '../../infra/database/master-connection.service';
import { TenantMover } from './tenant-mover.service';
import { TenantMovesRepository } from './tenant-moves.repository';

/**
 * Picks up moves no worker is running: at boot (a crash or restart mid-move) and then every
 * lease period (a worker on another instance that died). The move's lease decides who runs it,
 * so every instance may scan; the move's state says where to resume.
 */
@Injectable()
export class TenantMoveResumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TenantMoveResumer.name);
  private timer: NodeJS.Timeout | undefined;
  private scanning = false;

  constructor(
    private readonly moves: TenantMovesRepository,
    private readonly mover: TenantMover,
    private readonly master: MasterConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.master.whenConnected().then(() => this.scan());
    this.timer = setInterval(() => void this.scan(), this.config.moveLeaseMs).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async scan(): Promise<void> {
    if (this.scanning || !this.master.isOpen) return;
    this.scanning = true;
    try {
      for (const move of await this.moves.unfinished()) {
        const tenantId = String(move._id);
        if (!this.mover.isRunning(tenantId)) void this.mover.drive(tenantId);
      }
    } catch (err) {
      this.logger.warn(`move resumer scan failed (${(err as Error).name})`);
    } finally {
      this.scanning = false;
    }
  }
}
