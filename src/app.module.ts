import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthenticationGuard } from './common/guards/authentication.guard';
import type { AppConfig } from './infra/config/app-config';
import { ConfigModule } from './infra/config/config.module';
import { AppCacheModule } from './infra/cache/app-cache.module';
import { DatabaseModule } from './infra/database/database.module';
import { LifecycleModule } from './infra/lifecycle.module';
import { HealthModule } from './modules/health/health.module';
import { RootModule } from './modules/root/root.module';

@Module({})
export class AppModule {
  /** The config is validated before Nest starts, then handed in here (never read at import time). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), LifecycleModule, DatabaseModule, AppCacheModule, RootModule, HealthModule],
      providers: [{ provide: APP_GUARD, useClass: AuthenticationGuard }],
    };
  }
}
