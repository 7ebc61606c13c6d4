import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

/**
 * Test-only (not built): fixtures of the generated isolation suite, test/tenant-isolation.e2e-spec.ts.
 * A tenant's `{tenant_id}` is the tenant itself; the suite makes the tenant (with markers in its
 * name, domain, emails and settings) before any fixture runs.
 */
export const fixtures: ModuleFixtures = {
  params: {
    tenant_id: (ctx) => Promise.resolve(ctx.tenantId),
  },
};
