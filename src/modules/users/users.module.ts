import { Module, type OnModuleInit } from '@nestjs/common';
import { TenantSchemaRegistry } from '../../infra/tenancy/tenant-schema.registry';
import { TenantUsersController } from './tenant-users.controller';
import { UserSchema } from './user.schema';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController, TenantUsersController],
  providers: [UsersService],
})
export class UsersModule implements OnModuleInit {
  constructor(private readonly schemas: TenantSchemaRegistry) {}

  onModuleInit(): void {
    this.schemas.register('User', UserSchema);
  }
}
