import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type LogArgs = Parameters<Logger['info']>;

/**
 * `request.log` that becomes the pino child (bound to the request id) only when something is
 * logged through it at an enabled level. Fastify builds that child for every request; with the
 * redaction paths, pino runs each binding through the redactor to build it: 4.5 µs of the 48 µs of
 * CPU of the public `GET /` at LOG_LEVEL=warn (docs/benchmarks.md, B2), spent on a logger nothing
 * writes to. At `info` (the production default) the request log lines build it as before: the
 * lines are the same, their `request_id` included.
 */
class LazyRequestLogger {
  private real?: Logger;

  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): Logger {
    return (this.real ??= this.parent.child(this.childBindings, this.options));
  }

  private write(level: Level, args: LogArgs): void {
    if (!this.real && !this.parent.isLevelEnabled(level)) return;
    this.logger[level](...args);
  }

  get level(): string {
    return this.real ? this.real.level : this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.real ?? this.parent).isLevelEnabled(level);
  }

  bindings(): Bindings {
    return this.logger.bindings();
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.logger.child(bindings, options);
  }

  fatal(...args: LogArgs): void {
    this.write('fatal', args);
  }
  error(...args: LogArgs): void {
    this.write('error', args);
  }
  warn(...args: LogArgs): void {
    this.write('warn', args);
  }
  info(...args: LogArgs): void {
    this.write('info', args);
  }
  debug(...args: LogArgs): void {
    this.write('debug', args);
  }
  trace(...args: LogArgs): void {
    this.write('trace', args);
  }
  silent(): void {}
}

/** Fastify's `childLoggerFactory`: the request logger above, over the app's pino logger. */
export function lazyRequestLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyRequestLogger(logger as unknown as Logger, bindings, options);
}
