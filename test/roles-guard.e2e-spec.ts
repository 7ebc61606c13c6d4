import { Controller, Get, Module } from '@nestjs/common';
import { Auth } from '../src/common/decorators/auth.decorator';
import { expectErrorBody } from './support/expect-error';
import { Factory, type Session } from './support/factories';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Test-only routes, mounted through createApp's extraModules: the app itself has no route without
 * `@Public()` or `@Auth()`, so only a route made for the purpose can show the roles guard failing
 * closed. Each handler answers 200 with a marker, so a guard that let the call through is visible.
 */
@Controller('api/v1/roles-guard-probe')
class RolesGuardProbeController {
  /** Neither @Public() nor @Auth(): a programming error the guard must refuse for every role. */
  @Get('undecorated')
  undecorated(): { reached: string } {
    return { reached: 'undecorated' };
  }

  @Get('superadmin-only')
  @Auth({ roles: ['superadmin'] })
  superadminOnly(): { reached: string } {
    return { reached: 'superadmin-only' };
  }
}

@Module({ controllers: [RolesGuardProbeController] })
class RolesGuardProbeModule {}

const UNDECORATED = '/api/v1/roles-guard-probe/undecorated';
const SUPERADMIN_ONLY = '/api/v1/roles-guard-probe/superadmin-only';

describe('roles guard (fails closed)', () => {
  let t: TestApp;
  const logLines: string[] = [];
  let callers: Record<'user' | 'tenant_admin' | 'superadmin', Session>;

  beforeAll(async () => {
    // LOG_LEVEL error: the guard's programming-error line is an error; nothing quieter is captured.
    t = await createTestApp({ LOG_LEVEL: 'error' }, { extraModules: [RolesGuardProbeModule], logLines });
    const f = new Factory(t.app);
    const tenant = await f.tenant();
    callers = {
      user: await f.member(tenant, 'user'),
      tenant_admin: tenant.admin,
      superadmin: await f.superadminSession(),
    };
  });
  afterAll(() => t.close());

  const get = (url: string, session?: Session) =>
    t.app.inject({ method: 'GET', url, headers: session ? session.auth : {} });

  it('a route with neither @Public() nor @Auth() is 403 for a valid token of every role, and logged', async () => {
    const outcomes: string[] = [];
    for (const [role, session] of Object.entries(callers)) {
      const before = logLines.length;
      const res = await get(UNDECORATED, session);
      outcomes.push(`${role} ${res.statusCode}`);
      expectErrorBody(res, 403, 'FORBIDDEN');
      expect(res.body).not.toContain('reached');
      // The programming error is logged, naming the route, once per refused call.
      const logged = logLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'error',
          context: 'RolesGuard',
          msg: `route GET ${UNDECORATED} has neither @Public() nor @Auth()`,
        }),
      ]);
    }
    console.log(`roles guard, undecorated route: ${outcomes.join(', ')} (all must be 403)`);
    // Anonymous callers stop at the authentication guard first.
    expectErrorBody(await get(UNDECORATED), 401, 'UNAUTHENTICATED');
  });

  it('@Auth({ roles: ["superadmin"] }) refuses a user and a tenant admin, admits the superadmin', async () => {
    expectErrorBody(await get(SUPERADMIN_ONLY, callers.user), 403, 'FORBIDDEN');
    expectErrorBody(await get(SUPERADMIN_ONLY, callers.tenant_admin), 403, 'FORBIDDEN');
    const ok = await get(SUPERADMIN_ONLY, callers.superadmin);
    expect({ status: ok.statusCode, body: ok.json() }).toEqual({ status: 200, body: { reached: 'superadmin-only' } });
  });
});
