import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { coreModules } from './core.modules';
import { SuperadminBootstrapService } from './identity/superadmins/superadmin-bootstrap.service';
import type { AppConfig } from './infra/config/app-config';
import { IdempotencyInterceptor } from './infra/idempotency/idempotency.interceptor';
import { MailSenderModule } from './infra/mail/mail-sender.module';
import { RateLimitGuard } from './infra/rate-limit/rate-limit.guard';
import { RequestContextGuard } from './infra/request-context/request-context.guard';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { JwtAuthGuard } from './modules/auth/guards/jwt-auth.guard';
import { RolesGuard } from './modules/auth/guards/roles.guard';
import { HealthModule } from './modules/health/health.module';
import { InvitationsModule } from './modules/invitations/invitations.module';
import { ProjectsModule } from './modules/projects/projects.module';
import { RootModule } from './modules/root/root.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { UsersModule } from './modules/users/users.module';

/**
 * The API's feature modules. A new module is added here, and only here: the CLI loads the same
 * list (so `cli sync-indexes` knows every tenant collection), without the HTTP pipeline.
 */
export const FEATURE_MODULES: Type[] = [
  AuthModule,
  TenantsModule,
  UsersModule,
  ProjectsModule,
  InvitationsModule,
  AuditModule,
];

@Module({})
export class AppModule {
  /** The config is validated before Nest starts, then handed in here (never read at import time). */
  static forRoot(config: AppConfig, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreModules(config),
        MailSenderModule,
        RootModule,
        HealthModule,
        ...FEATURE_MODULES,
        ...extraModules,
      ],
      providers: [
        // The HTTP pipeline, in order (inside the request context entered before the guards,
        // request-context.hook.ts): rate limits, authentication (default-deny), roles
        // (default-deny), the principal and its tenant admitted into the context, then
        // Idempotency-Key on the create routes (it needs the verified principal and tenant).
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_GUARD, useClass: RequestContextGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        SuperadminBootstrapService,
      ],
    };
  }
}
