import type { Principal } from '../../common/auth/principal';
import type { AuditActor } from './audit.types';

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'system' };

/**
 * The actor of a verified principal. The one place that maps callers to actor types: when API
 * keys land, their principal maps to `{ type: 'api_key', id: <key id> }` here.
 */
export function actorOf(principal: Principal | undefined): AuditActor {
  if (!principal) return SYSTEM_ACTOR;
  return { type: principal.role === 'superadmin' ? 'superadmin' : 'user', id: principal.userId };
}
