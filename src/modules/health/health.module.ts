import { Module } from '@nestjs/common';
import { MetricsModule } from '../../infra/metrics/metrics.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsController } from './metrics.controller';

@Module({ imports: [MetricsModule], controllers: [HealthController, MetricsController], providers: [HealthService] })
export class HealthModule {}
