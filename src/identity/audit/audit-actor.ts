import type { Principal } from '../../common/auth/principal';
import type { AuditActor } from './audit.types';

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'system' };

/** The actor of a verified principal: the one place that maps callers to actor types. */
export function actorOf(principal: Principal | undefined): AuditActor {
  if (!principal) return SYSTEM_ACTOR;
  if (principal.kind === 'api_key') return { type: 'api_key', id: principal.keyId };
  return { type: principal.role === 'superadmin' ? 'superadmin' : 'user', id: principal.userId };
}
