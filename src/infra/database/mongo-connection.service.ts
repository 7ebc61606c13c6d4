import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

const RECONNECT_DELAY_MS = 2000;

/**
 * Owns the one root Mongoose connection (one pool) to the master database. Tenant databases
 * hang off it via `useDb` (see TenantConnectionManager).
 *
 * Boot does not fail when MongoDB is down: the first attempt is awaited, then it keeps retrying
 * in the background while readiness reports 503. Once connected, the driver's own monitoring
 * handles outages; `bufferCommands: false` plus a short server-selection timeout make queries
 * fail fast (mapped to 503) instead of hanging.
 */
@Injectable()
export class MongoConnectionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MongoConnectionService.name);
  readonly connection: Connection = mongoose.createConnection();
  private stopped = false;
  private everConnected = false;
  private readonly connectedWaiters: Array<() => void> = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    if (!(await this.tryConnect())) void this.retryInBackground();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.connection.close();
  }

  /** True once the first connection has been made (the pool may still be failing over later). */
  get isOpen(): boolean {
    return this.everConnected && this.connection.readyState === mongoose.ConnectionStates.connected;
  }

  /** Resolves once the root connection has connected at least once. */
  whenConnected(): Promise<void> {
    if (this.everConnected) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** A real round trip, bounded in time: what readiness reports. */
  async ping(timeoutMs: number): Promise<boolean> {
    const db = this.connection.db;
    if (!this.everConnected || !db) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      const ping = db
        .admin()
        .ping()
        .then(() => true)
        .catch(() => false);
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryConnect(): Promise<boolean> {
    try {
      await this.connection.openUri(this.config.mongodbUrl, {
        dbName: this.config.masterDbName,
        serverSelectionTimeoutMS: this.config.mongoServerSelectionTimeoutMs,
        maxPoolSize: this.config.mongoMaxPoolSize,
        bufferCommands: false,
        // Indexes are built when a tenant is provisioned (and by the sync command), never lazily.
        autoIndex: false,
        autoCreate: false,
      });
      this.everConnected = true;
      this.connectedWaiters.splice(0).forEach((resolve) => resolve());
      this.logger.log(`connected to MongoDB (master database ${this.config.masterDbName})`);
      return true;
    } catch (err) {
      // The URL can carry credentials: log the error class only.
      this.logger.warn(`MongoDB not reachable (${(err as Error).name}); retrying every ${RECONNECT_DELAY_MS} ms`);
      return false;
    }
  }

  private async retryInBackground(): Promise<void> {
    while (!this.stopped && !this.everConnected) {
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS).unref());
      if (this.stopped) return;
      await this.tryConnect();
    }
  }
}
