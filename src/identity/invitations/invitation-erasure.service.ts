import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TenantErasureSteps } from '../erasure/erasure-steps.registry';
import { InvitationsRepository } from './invitations.repository';

/**
 * Tenant deletion: the invitations themselves live in the tenant database (dropped with it); their
 * master locators are removed here, and the count is what the erasure receipt lists as `invitations`.
 */
@Injectable()
export class InvitationErasure implements OnModuleInit {
  constructor(
    private readonly steps: TenantErasureSteps,
    private readonly invitations: InvitationsRepository,
  ) {}

  onModuleInit(): void {
    this.steps.register({ kind: 'invitations', erase: (tenantId) => this.invitations.removeTenantLocators(tenantId) });
  }
}
