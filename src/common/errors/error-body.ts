import type { AnyErrorCode } from './module-error-codes';
import type { FieldError } from './app-error';

/** The one error shape of API.md, for every status >= 400. */
export interface ErrorBody {
  status: number;
  code: AnyErrorCode;
  detail: string;
  request_id: string;
  errors?: FieldError[];
}

export function errorBody(
  status: number,
  code: AnyErrorCode,
  detail: string,
  requestId: string,
  errors?: FieldError[],
): ErrorBody {
  return errors
    ? { status, code, detail, request_id: requestId, errors }
    : { status, code, detail, request_id: requestId };
}
