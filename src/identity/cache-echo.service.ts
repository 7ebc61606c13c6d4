import { Injectable, type OnModuleDestroy } from '@nestjs/common';

/**
 * A request that read the database just before a change and writes the cache just after its
 * invalidation would put the old value back for a whole TTL (read-populate vs invalidate race).
 * Invalidations therefore run twice: at once, and again ECHO_DELAY_MS later, by which time any
 * read that started before the change has finished. Cheap: one extra cache write per change.
 */
export const ECHO_DELAY_MS = 1_000;

@Injectable()
export class CacheEcho implements OnModuleDestroy {
  private readonly timers = new Set<NodeJS.Timeout>();

  async twice(invalidate: () => Promise<void>): Promise<void> {
    await invalidate();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      invalidate().catch(() => undefined); // the cache swallows its own failures; belt and braces
    }, ECHO_DELAY_MS);
    timer.unref();
    this.timers.add(timer);
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
