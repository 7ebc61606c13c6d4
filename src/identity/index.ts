/**
 * What the identity core offers feature modules (lint lets them import this file only; the auth,
 * users and tenants modules, which are the core's HTTP face, may import the rest).
 */
export { MemberDirectory, type MemberRef } from './members/member-directory.service';
export { TenantFromPath } from './tenants/tenant-scope.guard';
export { TenantRunner } from './tenants/tenant-runner.service';
