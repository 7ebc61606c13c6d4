import { PlatformCache } from '../src/infra/cache/platform-cache.service';
import { cacheKey } from '../src/infra/cache/cache-keys';
import { createTestApp } from './support/test-app';
import { Factory, type TokenPair, strongPassword, uniqueEmail } from './support/factories';

/** The cache is optional and tenant-scoped; the first superadmin can come from the environment. */
describe('cache', () => {
  it('keys carry the tenant, so equal ids in two tenants never share an entry', () => {
    expect(cacheKey({ tenantId: 'a'.repeat(24) }, 'profile', 'u1')).toBe(`t:${'a'.repeat(24)}:profile:u1`);
    expect(cacheKey({ tenantId: 'b'.repeat(24) }, 'profile', 'u1')).not.toBe(
      cacheKey({ tenantId: 'a'.repeat(24) }, 'profile', 'u1'),
    );
    expect(cacheKey({ platform: true }, 'tenant', 'x')).toBe('platform:tenant:x');
  });

  it('serves /auth/me from Redis, and never serves a stale profile after a change', async () => {
    const t = await createTestApp();
    try {
      const f = new Factory(t.app);
      const tenant = await f.tenant();
      const cache = t.app.get(PlatformCache);
      expect(cache.status()).toBe('up');
      const first = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: tenant.admin.auth });
      expect(first.statusCode).toBe(200);
      const cached = await cache.get<{ email: string }>({ tenantId: tenant.tenantId }, 'profile', tenant.admin.id);
      expect(cached?.email).toBe(tenant.admin.email);
      await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/users/me',
        headers: tenant.admin.auth,
        payload: { full_name: 'Renamed' },
      });
      // PATCH /users/me answers with the profile, so the entry is already refreshed, not stale.
      const refreshed = await cache.get<{ full_name: string }>(
        { tenantId: tenant.tenantId },
        'profile',
        tenant.admin.id,
      );
      expect(refreshed?.full_name).toBe('Renamed');
      const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: tenant.admin.auth });
      expect(after.json().full_name).toBe('Renamed');
    } finally {
      await t.close();
    }
  });

  it('a profile re-cached by a read racing a role change is not served: the verified role wins', async () => {
    const t = await createTestApp();
    try {
      const f = new Factory(t.app);
      const tenant = await f.tenant();
      const member = await f.member(tenant);
      const cache = t.app.get(PlatformCache);
      const me = () => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: member.auth });
      const real = (await me()).json();
      expect(real.role).toBe('user');
      // What a read that began before a demotion leaves behind when it writes after the invalidation.
      await cache.set({ tenantId: tenant.tenantId }, 'profile', member.id, {
        ...real,
        role: 'tenant_admin',
        tenant: undefined,
      });
      const res = await me();
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(expect.objectContaining({ id: member.id, role: 'user' }));
    } finally {
      await t.close();
    }
  });

  it.each([
    ['without REDIS_URL (in-memory cache)', undefined, 'disabled'],
    ['with Redis unreachable (every cache call is a miss)', 'redis://127.0.0.1:1', 'down'],
  ])('the whole flow works %s', async (_label, redisUrl, expected) => {
    const t = await createTestApp({ REDIS_URL: redisUrl });
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks).toEqual({ mongodb: 'up', redis: expected, mail: 'up' });
      const f = new Factory(t.app);
      const tenant = await f.tenant();
      const user = await f.member(tenant);
      await f.project(user);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.auth });
      expect(me.json()).toEqual(
        expect.objectContaining({ email: user.email, tenant: expect.objectContaining({ id: tenant.tenantId }) }),
      );
      // Revocation does not depend on the cache either.
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: user.auth });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: user.auth })).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});

describe('superadmin bootstrap from the environment', () => {
  it('SUPERADMIN_EMAIL/SUPERADMIN_PASSWORD create the first superadmin at start, and close register bootstrap', async () => {
    const email = uniqueEmail('envroot');
    const password = strongPassword();
    const t = await createTestApp({ SUPERADMIN_EMAIL: email, SUPERADMIN_PASSWORD: password });
    try {
      const f = new Factory(t.app);
      let tokens: TokenPair | undefined;
      for (let i = 0; i < 50 && !tokens; i++) {
        tokens = await f.login(email, password).catch(() => undefined);
        if (!tokens) await new Promise((r) => setTimeout(r, 100));
      }
      expect(tokens?.token_type).toBe('bearer');
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${tokens?.access_token}` },
      });
      expect(me.json()).toEqual(expect.objectContaining({ email, role: 'superadmin', tenant: null }));
      const bootstrap = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: strongPassword(), is_superadmin: true },
      });
      expect(bootstrap.statusCode).toBe(403);
      expect(bootstrap.json().code).toBe('SUPERADMIN_BOOTSTRAP_CLOSED');
    } finally {
      await t.close();
    }
  });

  it('ALLOW_SUPERADMIN_BOOTSTRAP=false and ALLOW_SELF_SIGNUP=false close both doors', async () => {
    const t = await createTestApp({ ALLOW_SUPERADMIN_BOOTSTRAP: 'false', ALLOW_SELF_SIGNUP: 'false' });
    try {
      const root = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: strongPassword(), is_superadmin: true },
      });
      expect(root.json()).toEqual(expect.objectContaining({ status: 403, code: 'SUPERADMIN_BOOTSTRAP_CLOSED' }));
      const signup = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: strongPassword(), org_name: 'Closed Org' },
      });
      expect(signup.json()).toEqual(expect.objectContaining({ status: 403, code: 'SELF_SIGNUP_DISABLED' }));
    } finally {
      await t.close();
    }
  });
});
