import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The live sources of the metrics (pool events, tenant connection cache); the route lives in modules/health. */
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
