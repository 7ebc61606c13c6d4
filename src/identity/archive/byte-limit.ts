import { Transform } from 'node:stream';
import type { AppError } from '../../common/errors/app-error';

/** Passes bytes through and fails the stream with `error()` once more than `max` went by. */
export function byteLimit(max: number, error: () => AppError): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) done(error());
      else done(null, chunk);
    },
  });
}
