import type { DynamicModule, Type } from '@nestjs/common';
import { IdentityModule } from './identity/identity.module';
import { CacheModule } from './infra/cache/cache.module';
import type { AppConfig } from './infra/config/app-config';
import { ConfigModule } from './infra/config/config.module';
import { DatabaseModule } from './infra/database/database.module';
import { IdempotencyModule } from './infra/idempotency/idempotency.module';
import { LifecycleModule } from './infra/lifecycle/lifecycle.module';
import { MailModule } from './infra/mail/mail.module';
import { RateLimitModule } from './infra/rate-limit/rate-limit.module';
import { RequestContextModule } from './infra/request-context/request-context.module';
import { TenancyModule } from './infra/tenancy/tenancy.module';

/** What both the HTTP server (AppModule) and the CLI run on: infrastructure and the identity core. */
export function coreModules(config: AppConfig): Array<Type | DynamicModule> {
  return [
    ConfigModule.forRoot(config),
    LifecycleModule,
    DatabaseModule,
    IdempotencyModule,
    MailModule,
    RequestContextModule,
    CacheModule,
    TenancyModule,
    RateLimitModule,
    IdentityModule,
  ];
}
