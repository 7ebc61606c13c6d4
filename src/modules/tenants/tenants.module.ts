import { Module } from '@nestjs/common';
import { TenantScopeGuard } from './tenant-scope.guard';
import { TenantsController } from './tenants.controller';

@Module({
  controllers: [TenantsController],
  providers: [TenantScopeGuard],
  exports: [TenantScopeGuard],
})
export class TenantsModule {}
