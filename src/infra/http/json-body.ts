import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';

/**
 * The deepest nesting of objects and arrays a JSON body may have. Our deepest DTO is a tenant's
 * `settings` (depth 4 inside a body: 5); 32 leaves room without letting a 3 KB body of 1,500 nested
 * levels reach the recursive code after JSON.parse (class-transformer, class-validator), which
 * overflowed the stack (a 500) or spent its time there.
 */
export const JSON_MAX_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * True when `body` opens more than `max` objects/arrays inside one another. One pass over the bytes,
 * no recursion, no allocation: brackets inside strings do not count (UTF-8 continuation bytes are
 * >= 0x80, never one of these). It does not validate JSON; JSON.parse does that next.
 */
export function exceedsJsonDepth(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH)
        i++; // the escaped character cannot end the string
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Nest's JSON body parser with Fastify's own (same prototype-poisoning checks) behind the
 * depth scan: a body nested deeper than JSON_MAX_DEPTH is refused as 400 MALFORMED_BODY before it
 * is parsed. Registered through the adapter so Nest does not add its default parser next to it.
 */
export function registerJsonBodyParser(adapter: FastifyAdapter, fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  adapter.useBodyParser(
    'application/json',
    false,
    { bodyLimit: fastify.initialConfig.bodyLimit },
    (request, body, done) => {
      if (exceedsJsonDepth(body, JSON_MAX_DEPTH)) {
        done(
          new AppError(
            400,
            ErrorCode.MALFORMED_BODY,
            `Body nests objects or arrays deeper than ${JSON_MAX_DEPTH} levels`,
          ),
          undefined,
        );
        return;
      }
      // Fastify's parser takes the Buffer as well (secure-json-parse reads either); its type says string.
      void parse(request, body as unknown as string, done);
    },
  );
}
