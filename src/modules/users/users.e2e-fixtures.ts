import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';
import { strongPassword } from '../../../test/support/factories';

/** Test-only (not built): fixtures of the generated isolation suite, test/tenant-isolation.e2e-spec.ts. */
export const fixtures: ModuleFixtures = {
  params: {
    // Only a tenant_admin creates accounts, whoever the probe runs as.
    user_id: async (ctx) => {
      const user = await ctx.request('POST', '/api/v1/users', ctx.admin, {
        email: `${ctx.marker()}@example.com`,
        password: strongPassword(),
        full_name: `Member ${ctx.marker()}`,
      });
      return user.id;
    },
  },
};
