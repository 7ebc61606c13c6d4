import { Inject, Injectable } from '@nestjs/common';
import type { Connection, Model, Schema } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MasterConnection } from '../database/master-connection.service';
import { tenantDbName } from './tenant-db-name';

interface Entry {
  connection: Connection;
  lastUsed: number;
}

/** An entry used this recently is never evicted, even over the limit (it may be mid-request). */
const IDLE_AFTER_MS = 30_000;

/**
 * Singleton owner of tenant connections (identity core and infrastructure only; feature modules
 * get tenant models through the kit and never an id-taking API). Each is `root.useDb(name)`: the same pool, so a thousand
 * tenants cost no extra sockets. Models are compiled lazily per tenant (~10 KiB each), and the set
 * is a bounded LRU that evicts only idle tenants (STACK.md: ~92 KiB per tenant with 8 models).
 */
@Injectable()
export class TenantConnectionManager {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly master: MasterConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  connection(tenantId: string): Connection {
    const now = Date.now();
    const hit = this.entries.get(tenantId);
    if (hit) {
      hit.lastUsed = now;
      // Map keeps insertion order: re-insert to mark as most recently used.
      this.entries.delete(tenantId);
      this.entries.set(tenantId, hit);
      return hit.connection;
    }
    const connection = this.master.connection.useDb(tenantDbName(tenantId), { useCache: true });
    this.entries.set(tenantId, { connection, lastUsed: now });
    this.evictIdle(now);
    return connection;
  }

  model<T>(tenantId: string, name: string, schema: Schema<T>): Model<T> {
    const connection = this.connection(tenantId);
    return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  }

  /** Builds the indexes of every registered tenant model in one tenant's database. */
  async syncIndexes(tenantId: string, schemas: Array<[string, Schema]>): Promise<void> {
    for (const [name, schema] of schemas) await this.model(tenantId, name, schema).createIndexes();
  }

  async dropDatabase(tenantId: string): Promise<void> {
    await this.connection(tenantId).dropDatabase();
    this.release(tenantId);
  }

  /** Forget a tenant (deleted): its models and its handle on the pool. */
  release(tenantId: string): void {
    if (!this.entries.delete(tenantId)) return;
    // removeDb exists since Mongoose 8 but is missing from its typings.
    const root = this.master.connection as Connection & { removeDb(name: string): void };
    try {
      root.removeDb(tenantDbName(tenantId));
    } catch {
      // Not registered on the root (never used): nothing to release.
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private evictIdle(now: number): void {
    const max = this.config.tenantConnectionCacheSize;
    if (this.entries.size <= max) return;
    for (const [tenantId, entry] of this.entries) {
      if (this.entries.size <= max) break;
      if (now - entry.lastUsed < IDLE_AFTER_MS) continue;
      this.release(tenantId);
    }
  }
}
