import { Module } from '@nestjs/common';
import { ClustersController } from './clusters.controller';
import { TenantMovesController } from './tenant-moves.controller';
import { TenantsController } from './tenants.controller';

/** The Tenants API (superadmins; members read their own tenant). The rules live in the identity core. */
@Module({ controllers: [TenantsController, TenantMovesController, ClustersController] })
export class TenantsModule {}
