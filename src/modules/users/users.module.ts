import { Module } from '@nestjs/common';
import { TenantUsersController } from './tenant-users.controller';
import { UsersController } from './users.controller';

/** The Users API: a tenant's members. The rules live in the identity core (MembersService). */
@Module({ controllers: [UsersController, TenantUsersController] })
export class UsersModule {}
