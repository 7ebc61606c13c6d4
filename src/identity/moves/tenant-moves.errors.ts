import { defineErrorCodes } from '../../common/errors/module-error-codes';

/** Error codes of tenant moves (documented in the OpenAPI `ErrorCode` enum). */
export const TenantMovesError = defineErrorCodes('TENANT_MOVE_IN_PROGRESS', 'TENANT_MOVE_NOT_FOUND');
