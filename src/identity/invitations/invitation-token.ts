import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isObjectId } from '../../common/ids';

/**
 * `<invitation id>.<secret>`: 24 hex digits, a dot, 43 base64url characters (32 random bytes,
 * 256 bits). The id finds the invitation (through InvitationLocator); the secret proves the link.
 */
export function newInvitationToken(invitationId: string): { token: string; hash: string } {
  const token = `${invitationId}.${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The invitation id of a well-formed token, else undefined. */
export function invitationIdOf(token: string): string | undefined {
  const match = /^([0-9a-f]{24})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1] && isObjectId(match[1]) ? match[1] : undefined;
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashInvitationToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
