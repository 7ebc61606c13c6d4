import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work a route starts and does not wait for (forgot-password's lookups and mails, whose duration
 * would tell whether an account exists). Failures are logged, never thrown at the client; shutdown
 * waits for what is still running, so a graceful stop loses none of it.
 */
@Injectable()
export class AfterResponse implements OnApplicationShutdown {
  private readonly logger = new Logger(AfterResponse.name);
  private readonly running = new Set<Promise<void>>();

  run(what: string, work: () => Promise<unknown>): void {
    const task = (async () => {
      try {
        await work();
      } catch (err) {
        this.logger.error(`${what} failed after the response (${(err as Error).name}: ${(err as Error).message})`);
      }
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Resolves when everything started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}
