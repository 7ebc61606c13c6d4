import { createHash, randomBytes } from 'node:crypto';

/** The visible start of every key: tells a leaked secret's kind to scanners and people. */
export const API_KEY_PREFIX = 'mtk_';
/** `mtk_` + 8 hex characters (shown in lists), `_`, then 32 random bytes in base64url (43 characters). */
const API_KEY_PATTERN = /^mtk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export interface NewApiKeySecret {
  /** The whole key, shown once to its creator. */
  key: string;
  /** `mtk_` + 8 characters: what lists show to tell keys apart (not a secret, not unique). */
  prefix: string;
  /** What is stored and looked up. */
  hash: string;
}

export function newApiKeySecret(): NewApiKeySecret {
  const prefix = `${API_KEY_PREFIX}${randomBytes(4).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/**
 * SHA-256, not bcrypt: a key carries 256 random bits, so a stolen hash cannot be brute-forced
 * whatever the hash's speed (bcrypt's cost only protects low-entropy secrets such as passwords),
 * and a fast hash keeps the lookup on the hot path of every request cheap. Same reasoning as the
 * refresh tokens.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A well-formed key (checked before any lookup, so garbage costs no database or cache call). */
export function isApiKeyShaped(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}
