import { type DynamicModule, Module } from '@nestjs/common';
import { FEATURE_MODULES } from '../app.module';
import { coreModules } from '../core.modules';
import type { AppConfig } from '../infra/config/app-config';

/**
 * What CLI commands run on: the infrastructure, the identity core and the feature modules (for
 * their tenant collections), without the HTTP pipeline (guards, interceptor, health, the
 * SUPERADMIN_EMAIL bootstrap) and without Redis (no command needs the shared cache).
 */
const CLI_OPERATION_TIMEOUT_MS = 10 * 60 * 1000;

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    // Index builds (sync-indexes) on large collections legitimately take longer than a request's
    // database deadline; a CLI run is watched by its operator, not by a client.
    const mongoOperationTimeoutMs = Math.max(config.mongoOperationTimeoutMs, CLI_OPERATION_TIMEOUT_MS);
    return {
      module: CliModule,
      imports: [...coreModules({ ...config, redisUrl: undefined, mongoOperationTimeoutMs }), ...FEATURE_MODULES],
    };
  }
}
