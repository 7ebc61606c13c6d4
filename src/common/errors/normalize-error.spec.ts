import { BadRequestException, HttpException } from '@nestjs/common';
import { MongoNetworkTimeoutError, MongoOperationTimeoutError, MongoServerError } from 'mongodb';
import { AppError } from './app-error';
import { ErrorCode } from './error-code';
import { isDatabaseUnavailable, normalizeError } from './normalize-error';

describe('normalizeError', () => {
  it('keeps an AppError as thrown', () => {
    const err = AppError.conflict(ErrorCode.USER_EXISTS, 'exists');
    expect(normalizeError(err)).toEqual({
      status: 409,
      code: ErrorCode.USER_EXISTS,
      detail: 'exists',
      errors: undefined,
      headers: undefined,
      unexpected: false,
    });
  });

  it('maps database outages to 503 DATABASE_UNAVAILABLE with Retry-After, hiding the driver text', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:27017 secret-host'), {
      name: 'MongoServerSelectionError',
    });
    const n = normalizeError(err);
    expect(n).toEqual(
      expect.objectContaining({ status: 503, code: ErrorCode.DATABASE_UNAVAILABLE, unexpected: false }),
    );
    expect(n.headers).toEqual({ 'Retry-After': '5' });
    expect(n.detail).not.toContain('ECONNREFUSED');
    expect(isDatabaseUnavailable(new Error('x'))).toBe(false);
  });

  it('maps a spent operation deadline (socket, pool wait, server maxTimeMS) to 503 DATABASE_UNAVAILABLE', () => {
    // The driver's own classes: a rename in a driver upgrade fails here, not in production.
    const socket = new MongoNetworkTimeoutError('connection 3 to 127.0.0.1:27017 timed out');
    // The driver does not export these two pool errors: their names are what it reports.
    const pool = Object.assign(new Error('Timed out while checking out a connection from connection pool'), {
      name: 'MongoWaitQueueTimeoutError',
    });
    const cleared = Object.assign(new Error('Connection pool was cleared because another operation failed'), {
      name: 'PoolClearedOnNetworkError',
    });
    const csot = new MongoOperationTimeoutError('Timed out during socket read (3000ms)');
    const maxTime = new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' });
    for (const err of [socket, pool, cleared, csot, maxTime]) {
      expect(normalizeError(err)).toEqual(
        expect.objectContaining({
          status: 503,
          code: ErrorCode.DATABASE_UNAVAILABLE,
          headers: { 'Retry-After': '5' },
          unexpected: false,
        }),
      );
    }
    // Another server error stays a 500 (a bug of ours, logged).
    expect(normalizeError(new MongoServerError({ code: 2, errmsg: 'BadValue' })).status).toBe(500);
  });

  it('maps a raw socket error raised inside the driver (EPIPE after the server closed) to 503, not others', () => {
    const epipe = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
    epipe.stack =
      'Error: This socket has been ended by the other party\n    at Socket.writeAfterFIN [as write] (node:net:795:14)\n' +
      '    at Connection.writeCommand (/app/node_modules/mongodb/lib/cmap/connection.js:408:29)';
    expect(normalizeError(epipe)).toEqual(
      expect.objectContaining({ status: 503, code: ErrorCode.DATABASE_UNAVAILABLE }),
    );
    const elsewhere = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    elsewhere.stack = 'Error: write EPIPE\n    at Socket._write (node:net:1:1)\n    at Foo (/app/dist/foo.js:1:1)';
    expect(normalizeError(elsewhere).status).toBe(500);
  });

  it("maps Fastify's wrapped client errors to stable codes", () => {
    const cause = Object.assign(new Error('Request body is too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    const wrapped = new HttpException('Request body is too large', 413, { cause });
    expect(normalizeError(wrapped)).toEqual(
      expect.objectContaining({ status: 413, code: ErrorCode.PAYLOAD_TOO_LARGE }),
    );
    const json = Object.assign(new SyntaxError('Unexpected token } in JSON at position 3'), { statusCode: 400 });
    expect(normalizeError(json)).toEqual(
      expect.objectContaining({ status: 400, code: ErrorCode.MALFORMED_BODY, detail: 'Body is not valid JSON' }),
    );
  });

  it('turns anything unknown into a generic 500 that says nothing', () => {
    const n = normalizeError(new TypeError("Cannot read properties of undefined (reading 'password_hash')"));
    expect(n).toEqual({
      status: 500,
      code: ErrorCode.INTERNAL_ERROR,
      detail: 'Internal server error',
      unexpected: true,
    });
  });

  it('adds WWW-Authenticate to 401s and keeps Nest exception messages', () => {
    expect(normalizeError(new HttpException('nope', 401)).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(normalizeError(new BadRequestException('bad thing')).detail).toBe('bad thing');
  });
});
