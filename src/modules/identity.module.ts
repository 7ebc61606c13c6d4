import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AuthStateService } from './auth/auth-state.service';
import { PasswordService } from './auth/password.service';
import { ProfileService } from './auth/profile.service';
import { SessionService } from './auth/session.service';
import { SessionsRepository } from './auth/sessions.repository';
import { SuperadminsRepository } from './auth/superadmins.repository';
import { TokenService } from './auth/token.service';
import { MasterIndexesService } from './master-indexes.service';
import { TenantProvisioner } from './tenants/tenant-provisioner.service';
import { TenantStatusService } from './tenants/tenant-status.service';
import { TenantsRepository } from './tenants/tenants.repository';
import { TenantsService } from './tenants/tenants.service';
import { AccountsRepository } from './users/accounts.repository';
import { UsersRepository } from './users/users.repository';

const PROVIDERS = [
  AccountsRepository,
  UsersRepository,
  SuperadminsRepository,
  SessionsRepository,
  TenantsRepository,
  TenantStatusService,
  TenantProvisioner,
  TenantsService,
  PasswordService,
  TokenService,
  SessionService,
  AuthStateService,
  ProfileService,
  MasterIndexesService,
];

/**
 * The identity core shared by the auth, users and tenants feature modules: accounts, sessions,
 * tenants and the services over them. Global, so the three feature modules (which need each
 * other's data: login reads tenants, provisioning creates users...) have no circular imports.
 */
@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IdentityModule {}
