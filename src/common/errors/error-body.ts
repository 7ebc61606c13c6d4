import type { ErrorCode } from './error-code';
import type { FieldError } from './app-error';

/** The one error shape of API.md, for every status >= 400. */
export interface ErrorBody {
  status: number;
  code: ErrorCode;
  detail: string;
  request_id: string;
  errors?: FieldError[];
}

export function errorBody(
  status: number,
  code: ErrorCode,
  detail: string,
  requestId: string,
  errors?: FieldError[],
): ErrorBody {
  return errors
    ? { status, code, detail, request_id: requestId, errors }
    : { status, code, detail, request_id: requestId };
}
