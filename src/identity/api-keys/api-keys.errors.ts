import { defineErrorCodes } from '../../common/errors/module-error-codes';

/**
 * Codes of tenant API keys (documented in the OpenAPI `ErrorCode` enum):
 * - API_KEY_INVALID (401): unknown, malformed, revoked or expired key, or its tenant deleted;
 * - API_KEY_NOT_ALLOWED (403): a valid key on a route that does not admit keys (sessions, profile,
 *   password, key management, superadmin routes);
 * - AMBIGUOUS_CREDENTIALS (400): both `Authorization` and `X-API-Key` sent: which one acts would be a
 *   guess, so neither does;
 * - API_KEY_NOT_FOUND (404): no such key in the caller's tenant.
 */
export const ApiKeysError = defineErrorCodes(
  'API_KEY_INVALID',
  'API_KEY_NOT_ALLOWED',
  'AMBIGUOUS_CREDENTIALS',
  'API_KEY_NOT_FOUND',
);
