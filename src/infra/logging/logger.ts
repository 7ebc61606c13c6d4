import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { loadPrettyStream } from './pretty-stream';

/**
 * Paths redacted from every log line. Tokens, passwords and hashes never reach a log, whatever
 * object a developer passes to it.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.admin_password',
  '*.refresh_token',
  '*.access_token',
  '*.password_hash',
  '*.token_hash',
];

export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT=pretty|json wins; `auto` (the default) is human-readable only in development with a
 * terminal on stdout. Production, tests and anything piped (a log collector, a test capturing
 * stdout) get JSON lines.
 */
export function resolveLogFormat(config: Pick<AppConfig, 'logFormat' | 'nodeEnv'>, stdoutIsTty: boolean): LogFormat {
  if (config.logFormat !== 'auto') return config.logFormat;
  return config.nodeEnv === 'development' && stdoutIsTty ? 'pretty' : 'json';
}

type LoggerConfig = Pick<AppConfig, 'logLevel'> & Partial<Pick<AppConfig, 'logFormat' | 'nodeEnv'>>;

/**
 * JSON lines by default. Pretty output goes through pino-pretty after pino has serialised (and
 * redacted) the line, so redaction applies to both formats alike.
 */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const format = resolveLogFormat(
    { logFormat: config.logFormat ?? 'json', nodeEnv: config.nodeEnv ?? 'production' },
    destination === undefined && process.stdout.isTTY === true,
  );
  const pretty = format === 'pretty' ? loadPrettyStream(destination) : undefined;
  const logger = pino(
    {
      level: config.logLevel,
      base: undefined, // no pid/hostname noise; the platform adds its own
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: REDACT, censor: '[redacted]' },
      // Level names in JSON for log collectors; pino-pretty wants pino's numbers to name and colour them.
      formatters: pretty ? {} : { level: (label) => ({ level: label }) },
    },
    pretty ?? destination,
  );
  if (format === 'pretty' && !pretty) {
    logger.warn('pretty logs need pino-pretty, a dev dependency that is not installed: logging JSON lines');
  }
  return logger;
}

/** Routes Nest's own logging (boot, module messages) into the same JSON stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
