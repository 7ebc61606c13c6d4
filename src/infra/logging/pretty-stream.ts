import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';

/**
 * pino-pretty is a dev dependency: it is required here, lazily, only when human-readable output
 * was chosen, so a production install pruned of dev dependencies (`npm prune --omit=dev`) never
 * loads it and still starts. Returns undefined when it is not installed.
 */
export function loadPrettyStream(destination?: DestinationStream): DestinationStream | undefined {
  let pretty: typeof PinoPretty;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, optional load by design
    pretty = require('pino-pretty') as typeof PinoPretty;
  } catch {
    return undefined;
  }
  return pretty({
    // sync: a line written just before process.exit() (fatal boot errors, shutdown) is not lost.
    sync: true,
    colorize: destination === undefined && process.stdout.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    messageKey: 'msg',
    destination: destination ?? 1,
  });
}
