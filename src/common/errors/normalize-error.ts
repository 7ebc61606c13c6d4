import { HttpException } from '@nestjs/common';
import { AppError, type FieldError } from './app-error';
import { ErrorCode, codeForStatus } from './error-code';
import type { AnyErrorCode } from './module-error-codes';

export interface NormalizedError {
  status: number;
  code: AnyErrorCode;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** True when this is our fault (5xx other than a known outage): log it with its stack. */
  unexpected: boolean;
}

/** Seconds a client should wait before retrying when the database is unreachable. */
const DB_RETRY_AFTER_SECONDS = '5';

const DB_UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  // A handshake timed out on a stalled server: the pool was cleared under the waiting operations.
  'PoolClearedOnNetworkError',
  // Shutdown closed the client under a request that the drain timeout cut short.
  'MongoClientClosedError',
  // The operation deadline (MONGO_OPERATION_TIMEOUT_MS, see mongo-options.ts) ran out while
  // waiting for a pooled connection (MongoNetworkTimeoutError above: for an answer). The server
  // is stalled or overloaded; nothing says whether a write landed: clients retry with an
  // Idempotency-Key (docs/stall-and-retry.md).
  'MongoWaitQueueTimeoutError',
  // The driver's client-side operation timeout, should a driver version honour `timeoutMS` again.
  'MongoOperationTimeoutError',
]);

/** MaxTimeMSExpired: the server gave up on a query's `maxTimeMS`. */
const MAX_TIME_MS_EXPIRED = 50;

/** Fastify's own errors (body parsing, limits) that are the client's doing. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE, detail: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    detail: 'Unsupported content type; send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: ErrorCode.MALFORMED_BODY,
    detail: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: ErrorCode.MALFORMED_BODY,
    detail: 'Body is empty but Content-Type is application/json',
  },
  // A path parameter past maxParamLength cannot be an id of ours: the resource does not exist.
  FST_ERR_MAX_PARAM_LENGTH: { status: 404, code: ErrorCode.NOT_FOUND, detail: 'Not found' },
  FST_ERR_BAD_URL: { status: 400, code: ErrorCode.BAD_REQUEST, detail: 'Malformed URL' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'Body is not valid JSON' },
};

/** Socket errors of a connection the server closed or reset. */
const SOCKET_GONE_CODES = new Set(['EPIPE', 'ECONNRESET']);
/** A frame of the MongoDB driver in a stack trace. */
const DRIVER_FRAME = /[\\/]node_modules[\\/]mongodb[\\/]lib[\\/]/;

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (DB_UNAVAILABLE_NAMES.has(err.name)) return true;
  // The driver (7.8) lets a raw EPIPE through when it writes a command to a socket the server
  // has just closed (net's writeAfterFIN), instead of a MongoNetworkError: seen when MongoDB is
  // killed under load (test/faults-under-load.e2e-spec.ts). Only when raised inside the driver.
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && SOCKET_GONE_CODES.has(code) && DRIVER_FRAME.test(err.stack ?? '')) return true;
  if (err.name === 'MongoServerError' && (err as { code?: unknown }).code === MAX_TIME_MS_EXPIRED) return true;
  // Mongoose with bufferCommands=false before the first successful connection.
  return err.name === 'MongooseError' && /initial connection is complete|not connected/i.test(err.message);
}

/** Maps anything thrown while serving a request to the documented error, without leaking internals. */
export function normalizeError(err: unknown): NormalizedError {
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      detail: err.detail,
      errors: err.options.errors,
      headers: err.options.headers,
      unexpected: false,
    };
  }
  if (err instanceof HttpException) {
    // Nest wraps Fastify's own client errors (body parsing, limits, media type) in an
    // HttpException whose message is Fastify's; map the original to our stable codes.
    return fromFastifyError(err.cause) ?? fromHttpException(err);
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      code: ErrorCode.DATABASE_UNAVAILABLE,
      detail: 'The database is unavailable; retry shortly',
      headers: { 'Retry-After': DB_RETRY_AFTER_SECONDS },
      unexpected: false,
    };
  }
  const fastify = fromFastifyError(err);
  if (fastify) return fastify;
  return { status: 500, code: ErrorCode.INTERNAL_ERROR, detail: 'Internal server error', unexpected: true };
}

function fromHttpException(err: HttpException): NormalizedError {
  const status = err.getStatus();
  const response = err.getResponse();
  // Nest's built-in exceptions carry English messages written by us or by Nest, never driver text.
  let detail = typeof response === 'string' ? response : err.message;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = response.message;
    if (typeof message === 'string') detail = message;
  }
  const headers = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : undefined;
  return { status, code: codeForStatus(status), detail, headers, unexpected: status >= 500 };
}

function fromFastifyError(err: unknown): NormalizedError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && code in FASTIFY_CLIENT_ERRORS) {
    return { ...FASTIFY_CLIENT_ERRORS[code], unexpected: false };
  }
  // JSON.parse failures from the content-type parser arrive as a SyntaxError with statusCode 400.
  if (err instanceof SyntaxError && statusCode === 400) {
    return { status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'Body is not valid JSON', unexpected: false };
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: codeForStatus(statusCode), detail: 'Bad request', unexpected: false };
  }
  return undefined;
}
