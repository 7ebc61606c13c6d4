import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { TenantConnectionProvider } from './tenant-connection.provider';
import { type TenantModelDefinition, getTenantModelToken } from './tenant-model';
import { tenantModelHandle } from './tenant-model.handle';
import { TenantSchemaRegistry } from './tenant-schema.registry';

/**
 * `MongooseModule.forFeature` for tenant databases. A module lists its tenant collections once;
 * each becomes injectable with `@InjectTenantModel(name)` as a handle bound to the current
 * tenant, and its indexes are built when a tenant is provisioned and by `cli sync-indexes`.
 */
@Module({})
export class TenantMongooseModule {
  static forFeature(models: TenantModelDefinition[]): DynamicModule {
    const handles: Provider[] = models.map(({ name, schema }) => ({
      provide: getTenantModelToken(name),
      useFactory: (registry: TenantSchemaRegistry, tenant: TenantConnectionProvider) => {
        // Registered as the handle is built: before any tenant can be provisioned.
        registry.register(name, schema);
        return tenantModelHandle(name, () => tenant.model(name, schema));
      },
      inject: [TenantSchemaRegistry, TenantConnectionProvider],
    }));
    return { module: TenantMongooseModule, providers: handles, exports: handles };
  }
}
