import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { mongoConnectOptions } from './mongo-options';
import { pingConnection } from './ping';

const RECONNECT_DELAY_MS = 2000;

/**
 * Watches the one master connection (one pool; tenant databases hang off it through `useDb`).
 *
 * Boot does not fail when MongoDB is down: the first attempt is awaited, then it keeps retrying
 * in the background while readiness reports 503 (the driver does not retry a failed first
 * connection by itself). Once connected, the driver's own monitoring handles outages.
 */
@Injectable()
export class MasterConnection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MasterConnection.name);
  private stopped = false;
  private everConnected = false;
  private readonly connectedWaiters: Array<() => void> = [];
  private firstAttemptDone!: () => void;
  /** Settles when the first connection attempt has succeeded or failed (boot's own wait). */
  readonly firstAttempt = new Promise<void>((resolve) => (this.firstAttemptDone = resolve));

  constructor(
    @InjectConnection() readonly connection: Connection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const first = await this.connection.asPromise().then(
      () => true,
      () => false,
    );
    if (first) this.connected();
    else {
      this.warnUnreachable();
      void this.retryInBackground();
    }
    this.firstAttemptDone();
  }

  onModuleDestroy(): void {
    // @nestjs/mongoose closes the connection itself at shutdown.
    this.stopped = true;
  }

  /** True once the first connection has been made (the pool may still be failing over later). */
  get isOpen(): boolean {
    return this.everConnected && this.connection.readyState === mongoose.ConnectionStates.connected;
  }

  /** Resolves once the master connection has connected at least once. */
  whenConnected(): Promise<void> {
    if (this.everConnected) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** A real round trip, bounded in time: what readiness reports. */
  async ping(timeoutMs: number): Promise<boolean> {
    if (!this.everConnected) return false;
    return pingConnection(this.connection, timeoutMs);
  }

  private connected(): void {
    this.everConnected = true;
    this.connectedWaiters.splice(0).forEach((resolve) => resolve());
    this.logger.log(`connected to MongoDB (master database ${this.config.masterDbName})`);
  }

  private warnUnreachable(err?: Error): void {
    // The URL can carry credentials: log the error class only.
    this.logger.warn(
      `MongoDB not reachable (${err?.name ?? 'MongooseServerSelectionError'}); retrying every ${RECONNECT_DELAY_MS} ms`,
    );
  }

  private async retryInBackground(): Promise<void> {
    while (!this.stopped && !this.everConnected) {
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS).unref());
      if (this.stopped) return;
      try {
        await this.connection.openUri(this.config.mongodbUrl, mongoConnectOptions(this.config));
        this.connected();
      } catch (err) {
        if (!this.stopped) this.warnUnreachable(err as Error);
      }
    }
  }
}
