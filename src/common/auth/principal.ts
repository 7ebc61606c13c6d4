export const ROLES = ['superadmin', 'tenant_admin', 'user'] as const;
export type Role = (typeof ROLES)[number];
export type TenantRole = Exclude<Role, 'superadmin'>;
export const TENANT_ROLES = ['tenant_admin', 'user'] as const satisfies readonly TenantRole[];

/** A person, from a verified access token whose user, version and tenant were checked. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  /** Absent for superadmins, who belong to no tenant. */
  tenantId: string | undefined;
  role: Role;
  /** Refresh-token family (session) the access token was issued for. */
  sessionId: string;
}

/**
 * A program, from a verified tenant API key (`X-API-Key`): it acts in the key's tenant with the
 * key's role, and is no person: it has no user id, no session, no profile. Only routes that opt in
 * with `@Auth({ apiKey: true })` admit it (RolesGuard).
 */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  /** The key's id (the actor id of what it does; never the secret nor its hash). */
  keyId: string;
  tenantId: string;
  role: TenantRole;
}

/** Who is calling. Narrow on `kind`: code that needs a person must say so (`asUser`). */
export type Principal = UserPrincipal | ApiKeyPrincipal;

/** The id of who acts: the user's, or the API key's. */
export function actorId(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.keyId;
}

/**
 * The person behind a principal, for handlers that only make sense for one (profile, sessions,
 * password). An API key reaching one is a programming error (RolesGuard refuses keys on routes
 * that did not opt in): a loud 500, never an act on some user's account.
 */
export function asUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new Error('An API key principal reached a handler for persons only');
  return principal;
}
