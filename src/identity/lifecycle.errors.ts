import { defineErrorCodes } from '../common/errors/module-error-codes';

/**
 * The account lifecycle's own codes (documented in the OpenAPI `ErrorCode` enum):
 * SESSION_NOT_FOUND: not one of the caller's live sessions (DELETE /auth/sessions/{session_id});
 * EMAIL_NOT_VERIFIED: login of a member whose address is unproven where the tenant requires it.
 */
export const LifecycleError = defineErrorCodes('SESSION_NOT_FOUND', 'EMAIL_NOT_VERIFIED');
