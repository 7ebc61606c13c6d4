import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response as InjectResponse } from 'light-my-request';

/** A password the policy accepts, unique per call. */
export function strongPassword(): string {
  return `Pw-${randomBytes(9).toString('base64url')}-9`;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@example.com`;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

export interface Session {
  email: string;
  password: string;
  /** The account's id; for an API key caller (`apiKey`), the key's id (the actor id of what it does). */
  id: string;
  tokens: TokenPair;
  /** The headers that authenticate the caller: `authorization`, or `x-api-key` for a key. */
  auth: Record<string, string>;
  /** Set for a tenant API key caller: no email, password or tokens (they are empty). */
  apiKey?: { key: string; role: 'user' | 'tenant_admin' };
}

export interface TenantSession {
  tenantId: string;
  domain: string;
  admin: Session;
}

function expectStatus(res: InjectResponse, status: number, what: string): void {
  if (res.statusCode !== status) throw new Error(`${what}: expected ${status}, got ${res.statusCode} ${res.body}`);
}

/** Small factories over the real API (novu's UserSession idea): fresh data for every test. */
export class Factory {
  private superadmin?: Promise<Session>;

  constructor(readonly app: NestFastifyApplication) {}

  async login(email: string, password: string, tenant?: string): Promise<TokenPair> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: tenant ? { email, password, tenant } : { email, password },
    });
    expectStatus(res, 200, `login ${email}`);
    return res.json();
  }

  async session(email: string, password: string, id: string, tenant?: string): Promise<Session> {
    const tokens = await this.login(email, password, tenant);
    return { email, password, id, tokens, auth: { authorization: `Bearer ${tokens.access_token}` } };
  }

  /** The app's superadmin (bootstrapped through register once per app). */
  superadminSession(): Promise<Session> {
    this.superadmin ??= (async () => {
      const email = uniqueEmail('root');
      const password = strongPassword();
      const res = await this.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password, is_superadmin: true },
      });
      expectStatus(res, 201, 'bootstrap superadmin');
      return this.session(email, password, res.json().user.id);
    })();
    return this.superadmin;
  }

  /** A new tenant (through self-service sign-up) with its admin logged in. */
  async tenant(): Promise<TenantSession> {
    const email = uniqueEmail('admin');
    const password = strongPassword();
    const org = `Org ${randomBytes(5).toString('hex')}`;
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password, org_name: org, full_name: 'Tenant Admin' },
    });
    expectStatus(res, 201, 'register tenant');
    const body = res.json();
    return {
      tenantId: body.tenant.id,
      domain: body.tenant.domain,
      admin: await this.session(email, password, body.user.id),
    };
  }

  /** A member of `tenant`, created by its admin, logged in. */
  async member(tenant: TenantSession, role: 'user' | 'tenant_admin' = 'user'): Promise<Session> {
    const email = uniqueEmail(role);
    const password = strongPassword();
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: tenant.admin.auth,
      payload: { email, password, full_name: `A ${role}`, role },
    });
    expectStatus(res, 201, 'create member');
    return this.session(email, password, res.json().id);
  }

  /** A tenant API key made by the tenant's admin, as a caller (`X-API-Key`). */
  async apiKey(tenant: TenantSession, role: 'user' | 'tenant_admin'): Promise<Session> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: tenant.admin.auth,
      payload: { name: `${role} key ${randomBytes(4).toString('hex')}`, role },
    });
    expectStatus(res, 201, 'create api key');
    const { id, key } = res.json();
    const tokens = { access_token: '', refresh_token: '', token_type: 'none', expires_in: 0 };
    return { email: '', password: '', id, tokens, auth: { 'x-api-key': key }, apiKey: { key, role } };
  }

  async project(session: Session, name = `Project ${randomBytes(4).toString('hex')}`): Promise<string> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: session.auth,
      payload: { name, description: 'made by a factory' },
    });
    expectStatus(res, 201, 'create project');
    return res.json().id;
  }
}
