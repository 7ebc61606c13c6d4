import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { PlatformCache } from '../../infra/cache/platform-cache.service';
import { MasterConnection } from '../../infra/database/master-connection.service';
import { MasterIndexesService } from '../../infra/database/master-indexes.service';
import { LifecycleService } from '../../infra/lifecycle/lifecycle.service';
import type { ReadinessDto } from './health.dto';

/**
 * Longest wait for the readiness ping: a probe usually times out after 1 s, and readiness must
 * turn 503 within the operation deadline (MONGO_OPERATION_TIMEOUT_MS) when that is shorter.
 */
const PING_TIMEOUT_CAP_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly master: MasterConnection,
    private readonly masterIndexes: MasterIndexesService,
    private readonly cache: PlatformCache,
    private readonly lifecycle: LifecycleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async readiness(): Promise<ReadinessDto> {
    if (this.lifecycle.isShuttingDown) {
      throw new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'Shutting down', { headers: { 'Retry-After': '1' } });
    }
    const mongoUp = await this.master.ping(Math.min(PING_TIMEOUT_CAP_MS, this.config.mongoOperationTimeoutMs));
    const redis = this.cache.status();
    if (!mongoUp) {
      throw new AppError(503, ErrorCode.DATABASE_UNAVAILABLE, `Not ready: mongodb down, redis ${redis}`, {
        headers: { 'Retry-After': '5' },
      });
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
    return { status: 'ok', checks: { mongodb: 'up', redis, ...(lost ? { cache_invalidation: 'lost' as const } : {}) } };
  }
}
