import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { createLogger, resolveLogFormat } from './logger';

function sink(): { stream: DestinationStream; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stream, text: () => out };
}

// Promise: human-readable logs only where a person reads them (development on a terminal, or
// LOG_FORMAT=pretty); JSON everywhere else, so production log collectors always get JSON.
describe('resolveLogFormat', () => {
  it.each([
    ['auto', 'development', true, 'pretty'],
    ['auto', 'development', false, 'json'],
    ['auto', 'production', true, 'json'],
    ['auto', 'test', true, 'json'],
    ['json', 'development', true, 'json'],
    ['pretty', 'production', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s NODE_ENV=%s tty=%s -> %s', (logFormat, nodeEnv, tty, expected) => {
    expect(resolveLogFormat({ logFormat, nodeEnv }, tty)).toBe(expected);
  });
});

// Promise: redaction holds whatever the format: pretty output never shows a password or token.
describe('createLogger', () => {
  const secrets = {
    req: { headers: { authorization: 'Bearer eyJ.secret.token' } },
    body: { password: 'hunter2-hunter2', refresh_token: 'rt-secret-value' },
  };

  it('pretty output is readable text, with secrets redacted', () => {
    const out = sink();
    createLogger({ logLevel: 'info', logFormat: 'pretty', nodeEnv: 'development' }, out.stream).info(
      secrets,
      'user logged in',
    );
    const text = out.text();
    expect(text).toMatch(/INFO.*user logged in/);
    expect(() => JSON.parse(text) as unknown).toThrow(); // not a JSON line
    expect(text).toContain('[redacted]');
    for (const secret of ['hunter2-hunter2', 'rt-secret-value', 'eyJ.secret.token']) expect(text).not.toContain(secret);
  });

  it('JSON output (production, or any non-terminal) is one JSON line with the level name, secrets redacted', () => {
    const out = sink();
    createLogger({ logLevel: 'info', logFormat: 'auto', nodeEnv: 'production' }, out.stream).info(secrets, 'hello');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'hello',
      req: { headers: { authorization: '[redacted]' } },
      body: { password: '[redacted]', refresh_token: '[redacted]' },
    });
  });
});
