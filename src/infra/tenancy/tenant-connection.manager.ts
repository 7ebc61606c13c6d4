import { Inject, Injectable } from '@nestjs/common';
import type { Connection, Model, Schema } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ClusterConnections } from '../database/cluster-connections.service';
import { tenantMoving } from './tenancy.errors';
import { tenantDbName } from './tenant-db-name';
import { SharedModels } from './shared-models';
import { TenantRouting } from './tenant-routing.service';
import { installWriteFence } from './tenant-write-fence';

interface Entry {
  connection: Connection;
  cluster: string;
  lastUsed: number;
}

/** An entry used this recently is never evicted, even over the limit (it may be mid-request). */
const IDLE_AFTER_MS = 30_000;

/**
 * Singleton owner of tenant connections (identity core and infrastructure only; feature modules
 * get tenant models through the kit and never an id-taking API). Each is `root.useDb(name)` on
 * the root connection of the tenant's cluster (its record's `cluster`, see TenantRouting): one
 * pool per cluster, so a thousand tenants cost no extra sockets. Each model is compiled once and
 * bound lazily to each tenant's connection (SharedModels: ~1.3 KiB a model per tenant, against
 * ~10 KiB compiled per tenant), and the set is a bounded LRU that evicts only idle tenants. When a tenant's route names another cluster (a move
 * switched it), its handle is rebuilt there on the next use.
 */
@Injectable()
export class TenantConnectionManager {
  private readonly entries = new Map<string, Entry>();
  private readonly shared = new SharedModels();

  constructor(
    private readonly clusters: ClusterConnections,
    private readonly routing: TenantRouting,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The tenant's connection on its cluster. Synchronous: the route must have been loaded when the
   * request or job entered the tenant (TenantAdmission, TenantContext); identity flows
   * that run before that use `connectionFor`/`modelFor`.
   */
  connection(tenantId: string): Connection {
    const name = tenantDbName(tenantId);
    const route = this.routing.peek(tenantId);
    if (!route) throw new Error(`tenant ${tenantId}: route not loaded before its database was used`);
    const now = Date.now();
    const hit = this.entries.get(tenantId);
    if (hit && hit.cluster === route.cluster) {
      hit.lastUsed = now;
      // Map keeps insertion order: re-insert to mark as most recently used.
      this.entries.delete(tenantId);
      this.entries.set(tenantId, hit);
      return hit.connection;
    }
    if (hit) this.release(tenantId);
    const connection = this.clusters.connection(route.cluster).useDb(name, { useCache: true });
    this.entries.set(tenantId, { connection, cluster: route.cluster, lastUsed: now });
    this.evictIdle(now);
    return connection;
  }

  async connectionFor(tenantId: string): Promise<Connection> {
    tenantDbName(tenantId);
    await this.routing.load(tenantId);
    return this.connection(tenantId);
  }

  model<T>(tenantId: string, name: string, schema: Schema<T>): Model<T> {
    const connection = this.connection(tenantId);
    return (connection.models[name] as Model<T> | undefined) ?? this.compile(connection, name, schema);
  }

  async modelFor<T>(tenantId: string, name: string, schema: Schema<T>): Promise<Model<T>> {
    await this.connectionFor(tenantId);
    return this.model(tenantId, name, schema);
  }

  /** Builds the indexes of every registered tenant model in one tenant's database. */
  async syncIndexes(tenantId: string, schemas: Array<[string, Schema]>): Promise<void> {
    for (const [name, schema] of schemas) {
      const model = await this.modelFor(tenantId, name, schema);
      // A collection without secondary indexes is still created, so every tenant database has the
      // same collections from the start (exports, moves and index checks see them all).
      if (schema.indexes().length === 0) await model.createCollection();
      else await model.createIndexes();
    }
  }

  async dropDatabase(tenantId: string): Promise<void> {
    await (await this.connectionFor(tenantId)).dropDatabase();
    this.release(tenantId);
  }

  /** Forget a tenant (deleted, or moved): its models and its handle on its cluster's pool. */
  release(tenantId: string): void {
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    this.entries.delete(tenantId);
    // removeDb exists since Mongoose 8 but is missing from its typings.
    const root = this.clusters.connection(entry.cluster) as Connection & { removeDb(name: string): void };
    try {
      root.removeDb(tenantDbName(tenantId));
    } catch {
      // Not registered on the root (never used): nothing to release.
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private compile<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
    installWriteFence(schema as Schema, this.assertWritable);
    return this.shared.bind(connection, name, schema);
  }

  /** The write fence (see installWriteFence): refuses writes while the tenant's route says moving. */
  private readonly assertWritable = (dbName: string): void => {
    const tenantId = dbName.startsWith('t_') ? dbName.slice(2) : undefined;
    if (tenantId && this.routing.peek(tenantId)?.moving) throw tenantMoving();
  };

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
