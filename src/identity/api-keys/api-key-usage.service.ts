import { Injectable, Logger } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';

/** `last_used_at` is written at most this often per key and instance. */
export const LAST_USED_WRITE_EVERY_MS = 60_000;
/** Past this many keys remembered, the entries older than the interval are dropped. */
const MAX_REMEMBERED = 10_000;

/**
 * Keeps `last_used_at` roughly current without a database write per request: each instance writes
 * a key's time at most once a minute (so with N instances, at most N writes a minute per key, and
 * the value is at most a minute behind). Fire-and-forget: a failed write is logged and never fails
 * or delays the request it came from.
 */
@Injectable()
export class ApiKeyUsage {
  private readonly logger = new Logger(ApiKeyUsage.name);
  private readonly written = new Map<string, number>();

  constructor(private readonly keys: ApiKeysRepository) {}

  touch(hash: string, now = Date.now()): void {
    const last = this.written.get(hash);
    if (last !== undefined && now - last < LAST_USED_WRITE_EVERY_MS) return;
    if (this.written.size >= MAX_REMEMBERED) this.forgetOlderThan(now - LAST_USED_WRITE_EVERY_MS);
    this.written.set(hash, now);
    this.keys.touch(hash, new Date(now)).catch((err: unknown) => {
      this.written.delete(hash); // try again on the next use
      this.logger.warn(`last_used_at write failed (${(err as Error).name})`);
    });
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [hash, at] of this.written) if (at < cutoff) this.written.delete(hash);
  }
}
