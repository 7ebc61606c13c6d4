import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Factory, type Session, strongPassword } from './factories';

/** A random marker: a string that can only appear in a response if the marked record leaked. */
export const marker = (prefix = 'mk') => `${prefix}${randomBytes(8).toString('hex')}`;

export interface MarkedTenant {
  tenantId: string;
  domain: string;
  admin: Session;
  /** A plain `user` member. */
  member: Session;
  /** Every marker put into the tenant's records; add more with `mk()`. */
  markers: string[];
  mk(): string;
  /** Every id of the tenant's records (add the fixtures' ids as they are made). */
  ids: string[];
}

/**
 * A tenant created by the superadmin, so that every text field can carry a marker: name, domain,
 * contact and admin emails, admin name, settings, and two members (a `user`, a second `tenant_admin`)
 * with marked emails and names.
 */
export async function markedTenant(
  app: NestFastifyApplication,
  f: Factory,
  superadmin: Session,
): Promise<MarkedTenant> {
  const markers: string[] = [];
  const mk = () => {
    const m = marker();
    markers.push(m);
    return m;
  };
  const ok = async (method: 'POST' | 'PATCH' | 'GET', url: string, session: Session, payload?: object) => {
    const res = await app.inject({ method, url, headers: session.auth, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const adminEmail = `${mk()}@example.com`;
  const adminPassword = strongPassword();
  const created = await ok('POST', '/api/v1/tenants', superadmin, {
    name: `Tenant ${mk()}`,
    domain: `b-${mk()}`,
    email: `${mk()}@example.com`,
    admin_name: `Admin ${mk()}`,
    admin_password: adminPassword,
    admin_email: adminEmail,
  });
  const tenantId: string = created.id;
  await ok('PATCH', `/api/v1/tenants/${tenantId}`, superadmin, { settings: { note: mk(), nested: { tag: mk() } } });
  const adminId: string = (await ok('GET', `/api/v1/tenants/${tenantId}/users`, superadmin)).items[0].id;
  const admin = await f.session(adminEmail, adminPassword, adminId);
  const memberIds: string[] = [];
  const members: Session[] = [];
  for (const role of ['user', 'tenant_admin'] as const) {
    const email = `${mk()}@example.com`;
    const password = strongPassword();
    const res = await ok('POST', '/api/v1/users', admin, { email, password, full_name: `Member ${mk()}`, role });
    memberIds.push(res.id);
    members.push(await f.session(email, password, res.id));
  }
  return {
    tenantId,
    domain: created.domain,
    admin,
    member: members[0],
    markers,
    mk,
    ids: [tenantId, adminId, ...memberIds],
  };
}
