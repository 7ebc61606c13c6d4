import type { ChildProcess } from 'node:child_process';
/**
 * Typed access to tools/services.cjs for specs that need a service of their own (a private
 * FerretDB they can kill and restart) rather than the shared ones globalSetup started.
 */
export interface FerretDbHandle {
  url: string;
  port: number;
  dataDir: string;
  /** The FerretDB process itself (a spec may freeze it with SIGSTOP). */
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Final stop: also deletes the data directory. */
  destroy(signal?: NodeJS.Signals): Promise<void>;
}

export interface RedisHandle {
  url: string;
  port: number;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

interface Services {
  startFerretDb(options?: { port?: number; dataDir?: string }): Promise<FerretDbHandle>;
  startRedis(options?: { port?: number }): Promise<RedisHandle>;
  freePort(): Promise<number>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../../tools/services.cjs') as Services;

export const startFerretDb = services.startFerretDb;
export const freePort = services.freePort;
export const startRedis = services.startRedis;
