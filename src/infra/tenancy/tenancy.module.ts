import { Global, Module } from '@nestjs/common';
import { RedisModule } from '../cache/redis.module';
import { TenantConnectionManager } from './tenant-connection.manager';
import { TenantConnectionProvider } from './tenant-connection.provider';
import { TenantAdmission } from './tenant-admission';
import { TenantContext } from './tenant-context';
import { TenantFence } from './tenant-fence.service';
import { TenantInFlight } from './tenant-in-flight';
import { TenantRouting } from './tenant-routing.service';
import { TenantSchemaRegistry } from './tenant-schema.registry';

const PROVIDERS = [
  TenantAdmission,
  TenantConnectionManager,
  TenantConnectionProvider,
  TenantContext,
  TenantFence,
  TenantInFlight,
  TenantRouting,
  TenantSchemaRegistry,
];

/**
 * The machinery behind the tenant data kit. Global so TenantMongooseModule handles resolve
 * anywhere; feature code may import only the kit's entry point (`infra/tenancy/index.ts`), which
 * lint enforces: the manager, the provider and the context stay out of feature modules.
 */
@Global()
@Module({ imports: [RedisModule], providers: PROVIDERS, exports: PROVIDERS })
export class TenancyModule {}
