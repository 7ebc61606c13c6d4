import { Module } from '@nestjs/common';
import { ClustersController } from './clusters.controller';
import { TenantArchiveController } from './tenant-archive.controller';
import { TenantMovesController } from './tenant-moves.controller';
import { TenantsController } from './tenants.controller';

/** The Tenants API (superadmins; members read their own tenant). The rules live in the identity core. */
@Module({ controllers: [TenantsController, TenantArchiveController, TenantMovesController, ClustersController] })
export class TenantsModule {}
