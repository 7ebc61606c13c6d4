import type { Principal } from '../../common/auth/principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication guard after verifying the token and the account's state. */
    principal?: Principal;
    /** Set by the guards: the tenant this request may touch (see RequestContextData.tenantId). */
    tenantId?: string;
  }
}
