import { Global, Module } from '@nestjs/common';
import { RequestContext } from '../request-context/request-context';
import { TenantConnectionManager } from './tenant-connection.manager';
import { TenantConnectionProvider } from './tenant-connection.provider';
import { TenantInFlight } from './tenant-in-flight';
import { TenantSchemaRegistry } from './tenant-schema.registry';

@Global()
@Module({
  providers: [RequestContext, TenantConnectionManager, TenantConnectionProvider, TenantInFlight, TenantSchemaRegistry],
  exports: [RequestContext, TenantConnectionManager, TenantConnectionProvider, TenantInFlight, TenantSchemaRegistry],
})
export class TenancyModule {}
