import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DEFAULT_CLUSTER } from '../config/clusters-config';
import { MasterConnection } from './master-connection.service';
import { mongoConnectOptions } from './mongo-options';
import { pingConnection } from './ping';

const RECONNECT_DELAY_MS = 2000;

interface Cluster {
  connection: Connection;
  everConnected: boolean;
}

/**
 * One connection pool per MongoDB cluster (MONGODB_CLUSTERS). `default` is the master connection
 * itself (it holds the master database); every other cluster gets its own pool, with the master's
 * options and deadlines, opened at boot without waiting for it (like the master: boot never
 * fails on a cluster that is down; the first connection is retried in the background, after
 * which the driver's own monitoring handles outages). Until a cluster has connected, queries on
 * its tenants fail at once (bufferCommands off) and answer 503 DATABASE_UNAVAILABLE; tenants on
 * the other clusters are not affected.
 */
@Injectable()
export class ClusterConnections implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterConnections.name);
  private readonly others = new Map<string, Cluster>();
  private stopped = false;

  constructor(
    private readonly master: MasterConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    for (const { name, url } of this.config.mongoClusters) {
      if (name === DEFAULT_CLUSTER) continue;
      const connection = mongoose.createConnection();
      const cluster: Cluster = { connection, everConnected: false };
      this.others.set(name, cluster);
      void this.connect(name, url, cluster);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.others.values()].map((c) => c.connection.close().catch(() => undefined)));
  }

  /** Cluster names, `default` first. */
  names(): string[] {
    return this.config.mongoClusters.map((c) => c.name);
  }

  has(name: string): boolean {
    return this.config.mongoClusters.some((c) => c.name === name);
  }

  /** The root connection of a cluster (tenant databases hang off it through `useDb`). */
  connection(name: string): Connection {
    if (name === DEFAULT_CLUSTER) return this.master.connection;
    const cluster = this.others.get(name);
    // A tenant record naming a cluster this deployment does not configure (removed from
    // MONGODB_CLUSTERS): its database cannot be reached, which is an outage, not a client error.
    if (!cluster)
      throw new AppError(503, ErrorCode.DATABASE_UNAVAILABLE, 'The database is unavailable; retry shortly', {
        headers: { 'Retry-After': '5' },
      });
    return cluster.connection;
  }

  /** A real round trip to the cluster, bounded in time (readiness, GET /clusters). */
  async ping(name: string, timeoutMs: number): Promise<boolean> {
    if (name === DEFAULT_CLUSTER) return this.master.ping(timeoutMs);
    const cluster = this.others.get(name);
    if (!cluster?.everConnected) return false;
    return pingConnection(cluster.connection, timeoutMs);
  }

  private async connect(name: string, url: string, cluster: Cluster): Promise<void> {
    while (!this.stopped) {
      try {
        await cluster.connection.openUri(url, mongoConnectOptions(this.config));
        cluster.everConnected = true;
        this.logger.log(`connected to MongoDB cluster ${name}`);
        return;
      } catch (err) {
        if (this.stopped) return;
        // The URL can carry credentials: log the error class only.
        this.logger.warn(`MongoDB cluster ${name} not reachable (${(err as Error).name}); retrying`);
      }
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS).unref());
    }
  }
}
