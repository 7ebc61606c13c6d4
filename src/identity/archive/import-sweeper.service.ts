import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ImportUndo } from './import-undo.service';

const SWEEP_EVERY_MS = 60_000;
/** The first sweep after start: soon, but not inside a short-lived CLI run (which sweeps on request). */
const FIRST_SWEEP_AFTER_MS = 5_000;
/** Far longer than the heartbeat period of a running import (TenantImporter). */
export const IMPORT_STALE_AFTER_MS = 2 * 60_000;

/**
 * Cleans up imports whose process died half way (crash, SIGKILL, lost node): soon after start and every
 * minute, on every instance (the steps are idempotent). `cli purge-failed-imports` does the same once.
 */
@Injectable()
export class ImportSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ImportSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;

  constructor(private readonly undo: ImportUndo) {}

  onApplicationBootstrap(): void {
    this.first = setTimeout(() => void this.run(), FIRST_SWEEP_AFTER_MS).unref();
    this.timer = setInterval(() => void this.run(), SWEEP_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const undone = await this.undo.sweep(IMPORT_STALE_AFTER_MS);
      if (undone.length > 0)
        this.logger.warn(`cleaned up ${undone.length} crashed tenant import(s): ${undone.join(', ')}`);
    } catch (err) {
      this.logger.warn(`import sweep failed (${(err as Error).name})`);
    }
  }
}
