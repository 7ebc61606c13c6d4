import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { TenantsRepository } from './tenants.repository';

/** The readiness ping's bound, also used by GET /clusters. */
const PING_TIMEOUT_MS = 1000;

export interface ClusterSummary {
  name: string;
  tenants: number;
  status: 'up' | 'down';
}

/** Where new tenants go, and what each cluster holds (GET /clusters). */
@Injectable()
export class TenantPlacement {
  constructor(
    private readonly clusters: ClusterConnections,
    private readonly tenants: TenantsRepository,
  ) {}

  /** The requested cluster (422 if not configured), else the one with the fewest tenants. */
  async choose(requested?: string): Promise<string> {
    if (requested !== undefined) {
      this.assertKnown(requested);
      return requested;
    }
    const names = this.clusters.names();
    if (names.length === 1) return names[0];
    // One count per cluster on the master (indexed by cluster); ties go to the first listed.
    const counts = await Promise.all(names.map((name) => this.tenants.countOnCluster(name)));
    let best = 0;
    for (let i = 1; i < names.length; i++) if (counts[i] < counts[best]) best = i;
    return names[best];
  }

  /**
   * Clusters for `count` new tenants (bulk provisioning): each goes to the emptiest cluster counting
   * those placed before it, so a batch levels the clusters and is built on all of them at once.
   */
  async spread(count: number): Promise<string[]> {
    const names = this.clusters.names();
    if (names.length === 1) return Array.from({ length: count }, () => names[0]);
    const counts = await Promise.all(names.map((name) => this.tenants.countOnCluster(name)));
    return Array.from({ length: count }, () => {
      let best = 0;
      for (let i = 1; i < names.length; i++) if (counts[i] < counts[best]) best = i;
      counts[best]++;
      return names[best];
    });
  }

  assertKnown(cluster: string, field = 'cluster'): void {
    if (!this.clusters.has(cluster))
      throw AppError.validation([
        { field, message: `unknown cluster; configured: ${this.clusters.names().join(', ')}` },
      ]);
  }

  async summary(): Promise<ClusterSummary[]> {
    return Promise.all(
      this.clusters.names().map(async (name) => {
        const [tenants, up] = await Promise.all([
          this.tenants.countOnCluster(name),
          this.clusters.ping(name, PING_TIMEOUT_MS),
        ]);
        return { name, tenants, status: up ? ('up' as const) : ('down' as const) };
      }),
    );
  }
}
