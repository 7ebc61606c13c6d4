export const ROLES = ['superadmin', 'tenant_admin', 'user'] as const;
export type Role = (typeof ROLES)[number];
export type TenantRole = Exclude<Role, 'superadmin'>;
export const TENANT_ROLES = ['tenant_admin', 'user'] as const satisfies readonly TenantRole[];

/** Who is calling, from a verified access token whose user, version and tenant were checked. */
export interface Principal {
  userId: string;
  /** Absent for superadmins, who belong to no tenant. */
  tenantId: string | undefined;
  role: Role;
  /** Refresh-token family (session) the access token was issued for. */
  sessionId: string;
}
