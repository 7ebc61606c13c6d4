import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { TenantMongooseModule } from '../infra/tenancy';
import { Account, AccountSchema } from './accounts/account.schema';
import { AccountsRepository } from './accounts/accounts.repository';
import { AuthStateService } from './auth-state.service';
import { CacheEcho } from './cache-echo.service';
import { CredentialsService } from './credentials.service';
import { Lease, LeaseSchema } from './leases/lease.schema';
import { LeaseService } from './leases/lease.service';
import { MemberDirectory } from './members/member-directory.service';
import { MembersRepository } from './members/members.repository';
import { MembersService } from './members/members.service';
import { User, UserSchema } from './members/user.schema';
import { PasswordService } from './passwords/password.service';
import { ProfileService } from './profile.service';
import { Session, SessionSchema } from './sessions/session.schema';
import { SessionRevocation, SessionRevocationSchema } from './sessions/session-revocation.schema';
import { SessionRevocations } from './sessions/session-revocations.service';
import { SessionRevocationsRepository } from './sessions/session-revocations.repository';
import { SessionService } from './sessions/session.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { TokenService } from './sessions/token.service';
import { Superadmin, SuperadminSchema } from './superadmins/superadmin.schema';
import { SuperadminsRepository } from './superadmins/superadmins.repository';
import { SuperadminsService } from './superadmins/superadmins.service';
import { TenantDeletionSweeper } from './tenants/tenant-deletion-sweeper.service';
import { TenantDirectory } from './tenants/tenant-directory.service';
import { TenantProvisioner } from './tenants/tenant-provisioner.service';
import { TenantBulkProvisioner } from './tenants/tenant-bulk-provisioner.service';
import { TenantRunner } from './tenants/tenant-runner.service';
import { TenantScopeGuard } from './tenants/tenant-scope.guard';
import { TenantStatusService } from './tenants/tenant-status.service';
import { Tenant, TenantSchema } from './tenants/tenant.schema';
import { TenantsRepository } from './tenants/tenants.repository';
import { TenantsService } from './tenants/tenants.service';

const PROVIDERS = [
  AccountsRepository,
  AuthStateService,
  CacheEcho,
  CredentialsService,
  LeaseService,
  MemberDirectory,
  MembersRepository,
  MembersService,
  PasswordService,
  ProfileService,
  SessionRevocations,
  SessionRevocationsRepository,
  SessionService,
  SessionsRepository,
  SuperadminsRepository,
  SuperadminsService,
  TenantDeletionSweeper,
  TenantDirectory,
  TenantProvisioner,
  TenantBulkProvisioner,
  TenantRunner,
  TenantScopeGuard,
  TenantStatusService,
  TenantsRepository,
  TenantsService,
  TokenService,
];

/**
 * The identity core: tenants, accounts, members, superadmins, sessions, passwords, tokens and the
 * per-request auth state. The auth, users and tenants modules (its HTTP face) and every feature
 * module depend on it; it depends on no module (lint enforces the direction). Global because the
 * global guards need it in every module's scope.
 */
@Global()
@Module({
  imports: [
    JwtModule.register({}),
    // Master database (control plane).
    MongooseModule.forFeature([
      { name: Tenant.name, schema: TenantSchema },
      { name: Account.name, schema: AccountSchema },
      { name: Superadmin.name, schema: SuperadminSchema },
      { name: Session.name, schema: SessionSchema },
      { name: Lease.name, schema: LeaseSchema },
      { name: SessionRevocation.name, schema: SessionRevocationSchema },
    ]),
    // Every tenant database.
    TenantMongooseModule.forFeature([{ name: User.name, schema: UserSchema }]),
  ],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IdentityModule {}
