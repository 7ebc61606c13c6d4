import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { TenantMongooseModule } from '../infra/tenancy';
import { AccountToken, AccountTokenSchema } from './account-tokens/account-token.schema';
import { AccountTokens } from './account-tokens/account-tokens.service';
import { AccountMailer } from './account-tokens/account-mailer';
import { AccountTokensRepository } from './account-tokens/account-tokens.repository';
import { OutboxAccountMailer } from './account-tokens/outbox-account-mailer';
import { EmailVerificationService } from './account-tokens/email-verification.service';
import { MailableAccounts } from './account-tokens/mailable-accounts.service';
import { PasswordResetService } from './account-tokens/password-reset.service';
import { VerifiedEmailPolicy } from './account-tokens/verified-email-policy.service';
import { Account, AccountSchema } from './accounts/account.schema';
import { AccountsRepository } from './accounts/accounts.repository';
import { AuditEvent, AuditEventSchema, AuditMark, AuditMarkSchema } from './audit/audit-event.schema';
import { AuditLog } from './audit/audit-log.service';
import { AuditStreams, PLATFORM_AUDIT_EVENT, PLATFORM_AUDIT_MARK } from './audit/audit-streams.service';
import { AuditTrail } from './audit/audit-trail.service';
import { ApiKeyAuthService } from './api-keys/api-key-auth.service';
import { ApiKey, ApiKeySchema } from './api-keys/api-key.schema';
import { ApiKeyUsage } from './api-keys/api-key-usage.service';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ImportSweeper } from './archive/import-sweeper.service';
import { ImportUndo } from './archive/import-undo.service';
import { TenantExporter } from './archive/tenant-exporter.service';
import { TenantImport, TenantImportSchema } from './archive/tenant-import.schema';
import { TenantImporter } from './archive/tenant-importer.service';
import { TenantImportsRepository } from './archive/tenant-imports.repository';
import { AuthStateService } from './auth-state.service';
import { CacheEcho } from './cache-echo.service';
import { CredentialsService } from './credentials.service';
import { ErasureReceipt, ErasureReceiptSchema } from './erasure/erasure-receipt.schema';
import { ErasureReceipts } from './erasure/erasure-receipts.service';
import { TenantErasureSteps } from './erasure/erasure-steps.registry';
import { Lease, LeaseSchema } from './leases/lease.schema';
import { LeaseService } from './leases/lease.service';
import { MemberDirectory } from './members/member-directory.service';
import { MembersRepository } from './members/members.repository';
import { MembersService } from './members/members.service';
import { User, UserSchema } from './members/user.schema';
import { PasswordService } from './passwords/password.service';
import { ProfileService } from './profile.service';
import { Session, SessionSchema } from './sessions/session.schema';
import { OwnSessionsService } from './sessions/own-sessions.service';
import { SessionRevocation, SessionRevocationSchema } from './sessions/session-revocation.schema';
import { SessionRevocations } from './sessions/session-revocations.service';
import { SessionRevocationsRepository } from './sessions/session-revocations.repository';
import { SessionService } from './sessions/session.service';
import { SessionsRepository } from './sessions/sessions.repository';
import { TokenService } from './sessions/token.service';
import { Superadmin, SuperadminSchema } from './superadmins/superadmin.schema';
import { SuperadminsRepository } from './superadmins/superadmins.repository';
import { SuperadminsService } from './superadmins/superadmins.service';
import { MoveSteps } from './moves/move-steps';
import { TenantMoveResumer } from './moves/tenant-move-resumer.service';
import { TenantMove, TenantMoveSchema } from './moves/tenant-move.schema';
import { TenantMover } from './moves/tenant-mover.service';
import { TenantMovesRepository } from './moves/tenant-moves.repository';
import { TenantMovesService } from './moves/tenant-moves.service';
import { TenantPlacement } from './tenants/tenant-placement.service';
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
  AccountTokens,
  AccountTokensRepository,
  AccountsRepository,
  AuditLog,
  AuditStreams,
  AuditTrail,
  ApiKeyAuthService,
  ApiKeysRepository,
  ApiKeysService,
  ApiKeyUsage,
  AuthStateService,
  EmailVerificationService,
  CacheEcho,
  CredentialsService,
  ErasureReceipts,
  ImportSweeper,
  ImportUndo,
  LeaseService,
  MailableAccounts,
  MemberDirectory,
  MembersRepository,
  MembersService,
  OwnSessionsService,
  PasswordResetService,
  PasswordService,
  ProfileService,
  SessionRevocations,
  SessionRevocationsRepository,
  SessionService,
  SessionsRepository,
  SuperadminsRepository,
  SuperadminsService,
  TenantDeletionSweeper,
  TenantMoveResumer,
  TenantMover,
  TenantMovesRepository,
  TenantMovesService,
  MoveSteps,
  TenantPlacement,
  TenantDirectory,
  TenantErasureSteps,
  TenantExporter,
  TenantImporter,
  TenantImportsRepository,
  TenantProvisioner,
  TenantBulkProvisioner,
  TenantRunner,
  TenantScopeGuard,
  TenantStatusService,
  TenantsRepository,
  TenantsService,
  TokenService,
  VerifiedEmailPolicy,
  { provide: AccountMailer, useClass: OutboxAccountMailer },
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
      { name: TenantMove.name, schema: TenantMoveSchema },
      // The platform audit stream (tenants' streams live in their databases, below).
      { name: PLATFORM_AUDIT_EVENT, schema: AuditEventSchema },
      { name: PLATFORM_AUDIT_MARK, schema: AuditMarkSchema },
      { name: ApiKey.name, schema: ApiKeySchema },
      { name: AccountToken.name, schema: AccountTokenSchema },
      { name: TenantImport.name, schema: TenantImportSchema },
      { name: ErasureReceipt.name, schema: ErasureReceiptSchema },
    ]),
    // Every tenant database.
    TenantMongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: AuditEvent.name, schema: AuditEventSchema },
      { name: AuditMark.name, schema: AuditMarkSchema },
    ]),
  ],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class IdentityModule {}
