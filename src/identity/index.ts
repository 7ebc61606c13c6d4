/**
 * What the identity core offers feature modules (lint lets them import this file only; the auth,
 * users and tenants modules, which are the core's HTTP face, may import the rest).
 */
export { MemberDirectory, type MemberRef } from './members/member-directory.service';
export { TenantFromPath } from './tenants/tenant-scope.guard';
export { TenantRunner } from './tenants/tenant-runner.service';
export { AuditTrail } from './audit/audit-trail.service';
export { AuditLog, type AuditPage, type AuditQuery } from './audit/audit-log.service';
export type { AuditEvent } from './audit/audit-event.schema';
export type { VerifyResult } from './audit/audit-chain';
export type { AuditActor, AuditInput, AuditTarget } from './audit/audit.types';
