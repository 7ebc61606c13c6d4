import { type DynamicModule, Module } from '@nestjs/common';
import { FEATURE_MODULES } from '../app.module';
import { coreModules } from '../core.modules';
import type { AppConfig } from '../infra/config/app-config';

/**
 * What CLI commands run on: the infrastructure, the identity core and the feature modules (for
 * their tenant collections), without the HTTP pipeline (guards, interceptor, health, the
 * SUPERADMIN_EMAIL bootstrap) and without Redis (no command needs the shared cache).
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [...coreModules({ ...config, redisUrl: undefined }), ...FEATURE_MODULES] };
  }
}
