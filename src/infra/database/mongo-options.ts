import type { ConnectOptions } from 'mongoose';
import type { AppConfig } from '../config/app-config';

/**
 * Options of the master connection (its pool also carries every tenant database through `useDb`).
 * `bufferCommands: false` plus a short server selection make queries fail fast (mapped to 503)
 * instead of hanging while MongoDB is away; indexes are built on purpose, never lazily.
 */
export function mongoConnectOptions(config: AppConfig): ConnectOptions {
  return {
    dbName: config.masterDbName,
    serverSelectionTimeoutMS: config.mongoServerSelectionTimeoutMs,
    maxPoolSize: config.mongoMaxPoolSize,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  };
}
