/** Who is at the other end of a login or refresh, as shown in GET /auth/sessions. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** A header is attacker-chosen text: stored bounded, so a session document stays small. */
const MAX_USER_AGENT = 256;
/** An IPv6 address with a zone id stays well under this. */
const MAX_IP = 64;

export const NO_CLIENT: ClientInfo = { userAgent: null, ip: null };

/** From the request's User-Agent header and Fastify's `request.ip` (which honours TRUST_PROXY). */
export function clientInfo(userAgent: string | string[] | undefined, ip: string | undefined): ClientInfo {
  const ua = Array.isArray(userAgent) ? userAgent[0] : userAgent;
  return {
    userAgent: ua ? ua.slice(0, MAX_USER_AGENT) : null,
    ip: ip ? ip.slice(0, MAX_IP) : null,
  };
}
