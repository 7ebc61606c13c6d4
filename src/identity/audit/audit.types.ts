/** Who acted. `api_key` is ready for the API keys work; `system` is a job or CLI command. */
export type AuditActorType = 'user' | 'api_key' | 'superadmin' | 'system';

export interface AuditActor {
  type: AuditActorType;
  id: string;
  email?: string;
}

export interface AuditTarget {
  type: string;
  id: string;
}

export type AuditOutcome = 'success' | 'failure';

/** Details are flat, small and never secret: ids, names, reasons, changed field names. */
export type AuditDetailValue = string | number | boolean | null | string[];
export type AuditDetails = Record<string, AuditDetailValue>;

/** The actions recorded today (docs/audit.md lists where each is written). New ones may be added freely. */
export type AuditAction =
  | 'auth.login'
  | 'auth.logout'
  | 'auth.logout_all'
  | 'auth.refresh_reuse_detected'
  | 'auth.password_changed'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.role_changed'
  | 'tenant.created'
  | 'tenant.updated'
  | 'tenant.suspended'
  | 'tenant.deleted'
  | 'superadmin.tenant_access'
  | 'superadmin.created'
  | 'audit.pruned'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'auth.password_reset'
  | 'user.email_verified'
  | 'invitation.created'
  | 'invitation.revoked'
  | 'invitation.accepted'
  | 'tenant.moved'
  // Open for the actions other work adds (api_key.created, invitation.accepted, ...).
  | (string & {});

/** What a caller hands AuditTrail.record. */
export interface AuditInput {
  action: AuditAction;
  target: AuditTarget;
  /** Default `success`. */
  outcome?: AuditOutcome;
  details?: AuditDetails;
  /** Default: the request's principal (user or superadmin), else `system`. */
  actor?: AuditActor;
  /**
   * Which stream. Default: the request's tenant (its token's, or a superadmin's
   * `/tenants/{tenant_id}/...`), the platform stream when there is none. `null`: the platform
   * stream. A tenant id: that tenant (the identity core's flows that run before a tenant
   * context exists, e.g. login).
   */
  tenantId?: string | null;
}

/** Where and through which request it happened (from the request context unless given). */
export interface AuditOrigin {
  requestId: string | null;
  ip: string | null;
}

/** The fields covered by the hash, as stored. */
export interface AuditEventFields {
  seq: number;
  at: Date;
  actor: AuditActor;
  action: string;
  target: AuditTarget;
  outcome: AuditOutcome;
  ip: string | null;
  request_id: string | null;
  details: AuditDetails;
  prev_hash: string;
}
