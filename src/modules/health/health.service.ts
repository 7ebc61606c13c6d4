import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { ClusterConnections } from '../../infra/database/cluster-connections.service';
import { MasterIndexesService } from '../../infra/database/master-indexes.service';
import { LifecycleService } from '../../infra/lifecycle/lifecycle.service';
import { MailStatus } from '../../infra/mail/mail-status.service';
import type { ReadinessDto } from './health.dto';

/**
 * Longest wait for the readiness ping: a probe usually times out after 1 s, and readiness must
 * turn 503 within the operation deadline (MONGO_OPERATION_TIMEOUT_MS) when that is shorter.
 */
const PING_TIMEOUT_CAP_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly clusters: ClusterConnections,
    private readonly masterIndexes: MasterIndexesService,
    private readonly cache: PlatformCache,
    private readonly lifecycle: LifecycleService,
    private readonly mail: MailStatus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async readiness(): Promise<ReadinessDto> {
    if (this.lifecycle.isShuttingDown) {
      throw new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'Shutting down', { headers: { 'Retry-After': '1' } });
    }
    const timeoutMs = Math.min(PING_TIMEOUT_CAP_MS, this.config.mongoOperationTimeoutMs);
    const names = this.clusters.names();
    const pings = await Promise.all(names.map((name) => this.clusters.ping(name, timeoutMs)));
    const clusters = Object.fromEntries(names.map((name, i) => [name, pings[i] ? 'up' : 'down'] as const));
    const mongoUp = pings[0]; // `default`, the master database's cluster, comes first
    const redis = this.cache.status();
    if (!mongoUp) {
      throw new AppError(
        503,
        ErrorCode.DATABASE_UNAVAILABLE,
        `Not ready: mongodb down, redis ${redis}${list(clusters)}`,
        {
          headers: { 'Retry-After': '5' },
        },
      );
    }
    if (!this.masterIndexes.ready) {
      // Unique indexes carry correctness (one tenant per domain, one account per email): not ready without them.
      throw new AppError(
        503,
        ErrorCode.DATABASE_UNAVAILABLE,
        `Not ready: master indexes not built yet, redis ${redis}`,
        {
          headers: { 'Retry-After': '5' },
        },
      );
    }
    // Only while Redis is up: with Redis down the fallback is implied (and reported as redis down).
    const lost = redis === 'up' && this.cache.invalidationStatus() === 'lost';
    return {
      status: 'ok',
      // With one cluster, `mongodb` says it all: `clusters` appears once MONGODB_CLUSTERS names several.
      checks: {
        mongodb: 'up',
        redis,
        mail: this.mail.health,
        ...(names.length > 1 ? { clusters } : {}),
        ...(lost ? { cache_invalidation: 'lost' as const } : {}),
      },
      mail_outbox: { ...this.mail.depth },
    };
  }
}

/** The clusters' states in a readiness failure's detail (names only), when there are several. */
function list(clusters: Record<string, string>): string {
  const entries = Object.entries(clusters);
  return entries.length > 1 ? `, clusters ${entries.map(([name, state]) => `${name} ${state}`).join(', ')}` : '';
}
