import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { MasterConnection } from './master-connection.service';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/**
 * Builds the indexes of every model registered on the master connection (autoIndex is off).
 * Their unique keys carry correctness (tenant domain, account email per tenant, refresh-token
 * hash), so readiness stays 503 until they exist: boot waits for them when MongoDB is up, a
 * failure is retried with backoff, and the first connection builds them when it was down.
 */
@Injectable()
export class MasterIndexesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MasterIndexesService.name);
  private built = false;
  private stopped = false;

  constructor(private readonly master: MasterConnection) {}

  async onModuleInit(): Promise<void> {
    // Nest runs a module's init hooks together: wait for the connection's first attempt.
    await this.master.firstAttempt;
    if (this.master.isOpen && (await this.trySync())) return;
    void this.master.whenConnected().then(() => this.retryUntilBuilt());
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  /** Readiness: the master indexes exist. */
  get ready(): boolean {
    return this.built;
  }

  /** Builds every master index; throws on failure (the CLI's `sync-indexes`). Idempotent. */
  async sync(): Promise<void> {
    for (const model of Object.values(this.master.connection.models)) await model.createIndexes();
    this.built = true;
  }

  private async trySync(): Promise<boolean> {
    try {
      await this.sync();
      return true;
    } catch (err) {
      this.logger.error(
        `building master indexes failed (${(err as Error).name}); not ready (uniqueness not enforced) until they exist`,
      );
      return false;
    }
  }

  private async retryUntilBuilt(): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !this.stopped && !(await this.trySync());) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }
}
