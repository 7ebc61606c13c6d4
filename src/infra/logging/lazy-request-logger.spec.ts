import { Writable } from 'node:stream';
import pino from 'pino';
import { lazyRequestLoggerFactory } from './lazy-request-logger';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const parent = pino({ level, base: undefined, redact: { paths: ['*.password'], censor: '[redacted]' } }, stream);
  const child = jest.spyOn(parent, 'child');
  return { lines, parent, child };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('lazyRequestLoggerFactory', () => {
  it('at warn, an info line builds no child and writes nothing; a warn line is bound to the request id', async () => {
    const { lines, parent, child } = capture('warn');
    const log = lazyRequestLoggerFactory(parent, { request_id: 'r-1' }, {});
    log.info({ req: 'x' }, 'incoming request');
    expect(child).not.toHaveBeenCalled();
    log.warn({ body: { password: 'hunter2' } }, 'something odd');
    await flush();
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      expect.objectContaining({ request_id: 'r-1', msg: 'something odd', body: { password: '[redacted]' } }),
    ]);
  });

  it('at info, writes the same lines as a pino child would', async () => {
    const { lines, parent } = capture('info');
    const log = lazyRequestLoggerFactory(parent, { request_id: 'r-2' }, {});
    log.info('incoming request');
    log.debug('not written');
    log.error({ code: 'X' }, 'failed');
    await flush();
    expect(lines.map((l) => [l.request_id, l.level, l.msg])).toEqual([
      ['r-2', 30, 'incoming request'],
      ['r-2', 50, 'failed'],
    ]);
    expect(log.level).toBe('info');
    expect((log as unknown as pino.Logger).isLevelEnabled('debug')).toBe(false);
  });
});
