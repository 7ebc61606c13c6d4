import { Module } from '@nestjs/common';
import { TenantArchiveController } from './tenant-archive.controller';
import { TenantsController } from './tenants.controller';

/** The Tenants API (superadmins; members read their own tenant). The rules live in the identity core. */
@Module({ controllers: [TenantsController, TenantArchiveController] })
export class TenantsModule {}
