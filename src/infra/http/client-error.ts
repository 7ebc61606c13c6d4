import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../../common/errors/error-body';
import { ErrorCode } from '../../common/errors/error-code';

/** What Node's HTTP parser reports, as the documented error (Fastify's default answers its own shape). */
function describe(err: NodeJS.ErrnoException): { status: number; code: ErrorCode; detail: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: ErrorCode.REQUEST_TIMEOUT, detail: 'The request was not received in time' };
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: ErrorCode.HEADERS_TOO_LARGE, detail: 'Request headers are too large' };
  }
  return { status: 400, code: ErrorCode.BAD_REQUEST, detail: 'Malformed HTTP request' };
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused (bad request line, bad header,
 * header overflow, timeout) never becomes a Fastify request, so nothing else can answer it. It gets
 * the documented body with a fresh request id (also in `x-request-id` and in the log line), and
 * the connection is closed, as Node does: the parser's state is unknown.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, code, detail } = describe(err);
  const requestId = randomUUID();
  this.log.debug({ request_id: requestId, code: err.code }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(errorBody(status, code, detail, requestId));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}
