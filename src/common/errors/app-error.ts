import { ErrorCode } from './error-code';
import type { AnyErrorCode } from './module-error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A domain error: a stable code, an HTTP status and a message that is safe to show a client.
 * Services throw these; the one exception filter turns them into the documented error body.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: AnyErrorCode,
    readonly detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[]): AppError {
    return new AppError(422, ErrorCode.VALIDATION_FAILED, 'Request validation failed', { errors });
  }

  static notFound(code: AnyErrorCode, detail: string): AppError {
    return new AppError(404, code, detail);
  }

  static conflict(code: AnyErrorCode, detail: string): AppError {
    return new AppError(409, code, detail);
  }

  static forbidden(detail = 'You are not allowed to do this', code: AnyErrorCode = ErrorCode.FORBIDDEN): AppError {
    return new AppError(403, code, detail);
  }

  static unauthenticated(detail = 'Authentication required', code = ErrorCode.UNAUTHENTICATED): AppError {
    return new AppError(401, code, detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
}
