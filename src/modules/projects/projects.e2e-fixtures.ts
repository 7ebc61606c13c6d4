import type { ModuleFixtures } from '../../../test/support/isolation-fixtures';

/**
 * Test-only (not built): fixtures of the generated isolation suite, test/tenant-isolation.e2e-spec.ts.
 * The example to copy for a new tenant-scoped module: one entry per path parameter the module owns,
 * made through the real API with a marker in every text field.
 */
export const fixtures: ModuleFixtures = {
  params: {
    // Made by the probe's caller, so that a member (not only an admin) may also change it.
    project_id: async (ctx) => {
      const project = await ctx.request('POST', '/api/v1/projects', ctx.session, {
        name: `Project ${ctx.marker()}`,
        description: `About ${ctx.marker()}`,
      });
      return project.id;
    },
  },
};
