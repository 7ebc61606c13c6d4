import { defineErrorCodes } from '../../common/errors/module-error-codes';
import { AppError } from '../../common/errors/app-error';

/** The tenant data kit's own error codes (documented in the OpenAPI `ErrorCode` enum). */
export const TenancyError = defineErrorCodes('TENANT_MOVING');

/** How long a client should wait before retrying a write refused by a move's write fence. */
export const TENANT_MOVING_RETRY_AFTER_S = 2;

export function tenantMoving(): AppError {
  return new AppError(
    503,
    TenancyError.TENANT_MOVING,
    'The tenant is being moved to another database cluster; reads work, retry writes shortly',
    { headers: { 'Retry-After': String(TENANT_MOVING_RETRY_AFTER_S) } },
  );
}
