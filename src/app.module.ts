import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AppCacheModule } from './infra/cache/app-cache.module';
import type { AppConfig } from './infra/config/app-config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { LifecycleModule } from './infra/lifecycle/lifecycle.module';
import { RequestContextInterceptor } from './infra/request-context/request-context.interceptor';
import { RateLimitModule } from './infra/rate-limit/rate-limit.module';
import { TenancyModule } from './infra/tenancy/tenancy.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { IdentityModule } from './modules/identity.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RootModule } from './modules/root/root.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { UsersModule } from './modules/users/users.module';

@Module({})
export class AppModule {
  /** The config is validated before Nest starts, then handed in here (never read at import time). */
  static forRoot(config: AppConfig, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LifecycleModule,
        DatabaseModule,
        AppCacheModule,
        TenancyModule,
        RateLimitModule,
        IdentityModule,
        RootModule,
        HealthModule,
        AuthModule,
        TenantsModule,
        UsersModule,
        ProjectsModule,
        ...extraModules,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor }],
    };
  }
}
