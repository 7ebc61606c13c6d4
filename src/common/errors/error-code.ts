/** Stable, documented error codes (the `code` field of every error body). Never rename one. */
export enum ErrorCode {
  BAD_REQUEST = 'BAD_REQUEST',
  MALFORMED_BODY = 'MALFORMED_BODY',
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  TENANT_REQUIRED = 'TENANT_REQUIRED',
  TENANT_SUSPENDED = 'TENANT_SUSPENDED',
  TENANT_EXISTS = 'TENANT_EXISTS',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  USER_EXISTS = 'USER_EXISTS',
  EMAIL_TENANT_LIMIT = 'EMAIL_TENANT_LIMIT',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  LAST_ADMIN = 'LAST_ADMIN',
  SELF_SIGNUP_DISABLED = 'SELF_SIGNUP_DISABLED',
  SUPERADMIN_BOOTSTRAP_CLOSED = 'SUPERADMIN_BOOTSTRAP_CLOSED',
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  CURRENT_PASSWORD_INCORRECT = 'CURRENT_PASSWORD_INCORRECT',
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** Mail is switched off (MAIL_DISABLED=true): a route that must send a mail answers 503. */
  MAIL_DISABLED = 'MAIL_DISABLED',
  /** A one-time link token (invitation, password reset, email verification) unknown, used, expired or revoked. */
  INVALID_TOKEN = 'INVALID_TOKEN',
}

/** The default code for a bare HTTP status (used when nothing more specific was thrown). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.BAD_REQUEST;
    case 401:
      return ErrorCode.UNAUTHENTICATED;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 405:
      return ErrorCode.METHOD_NOT_ALLOWED;
    case 408:
      return ErrorCode.REQUEST_TIMEOUT;
    case 409:
      return ErrorCode.CONFLICT;
    case 413:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 422:
      return ErrorCode.VALIDATION_FAILED;
    case 429:
      return ErrorCode.RATE_LIMITED;
    case 431:
      return ErrorCode.HEADERS_TOO_LARGE;
    case 503:
      return ErrorCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
  }
}
