import { Injectable } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { MasterConnection } from './master-connection.service';

/** The cluster `MONGODB_URL` names; it also holds the master database. */
export const DEFAULT_CLUSTER = 'default';

/**
 * The seam between tenant records (`cluster`) and MongoDB deployments. Today there is one cluster,
 * `default`, whose root connection is the master connection. MONGODB_CLUSTERS (a pool per named
 * cluster) replaces this class's body; its callers (tenant export and import) already ask for a
 * cluster by name and never assume the master connection.
 */
@Injectable()
export class ClusterConnections {
  constructor(private readonly master: MasterConnection) {}

  names(): string[] {
    return [DEFAULT_CLUSTER];
  }

  has(name: string): boolean {
    return this.names().includes(name);
  }

  /** The root connection of a cluster (its pool); a tenant database is `root(c).getClient().db(name)`. */
  root(name: string): Connection {
    if (name !== DEFAULT_CLUSTER) throw new Error(`unknown MongoDB cluster "${name}"`);
    return this.master.connection;
  }
}
