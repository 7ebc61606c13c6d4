import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { AppCacheService } from '../../infra/cache/app-cache.service';
import { MongoConnectionService } from '../../infra/database/mongo-connection.service';
import { LifecycleService } from '../../infra/lifecycle/lifecycle.service';
import type { ReadinessDto } from './health.dto';

const PING_TIMEOUT_MS = 1000;

@Injectable()
export class HealthService {
  constructor(
    private readonly mongo: MongoConnectionService,
    private readonly cache: AppCacheService,
    private readonly lifecycle: LifecycleService,
  ) {}

  async readiness(): Promise<ReadinessDto> {
    if (this.lifecycle.isShuttingDown) {
      throw new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'Shutting down', { headers: { 'Retry-After': '1' } });
    }
    const mongoUp = await this.mongo.ping(PING_TIMEOUT_MS);
    const redis = this.cache.status();
    if (!mongoUp) {
      throw new AppError(503, ErrorCode.DATABASE_UNAVAILABLE, `Not ready: mongodb down, redis ${redis}`, {
        headers: { 'Retry-After': '5' },
      });
    }
    return { status: 'ok', checks: { mongodb: 'up', redis } };
  }
}
