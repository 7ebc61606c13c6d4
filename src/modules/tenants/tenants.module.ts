import { Module } from '@nestjs/common';
import { TenantsController } from './tenants.controller';

/** The Tenants API (superadmins; members read their own tenant). The rules live in the identity core. */
@Module({ controllers: [TenantsController] })
export class TenantsModule {}
