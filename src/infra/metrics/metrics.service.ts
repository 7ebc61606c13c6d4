import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MasterConnection } from '../database/master-connection.service';
import { TenantConnectionManager } from '../tenancy/tenant-connection.manager';
import { metricsRegistry, mongoPoolCheckedOut, mongoPoolEvents, tenantConnectionsSource } from './metrics';

/** What `/metrics` answers in this deployment (see README "Observability"). */
export type MetricsAccess = { kind: 'open' } | { kind: 'token'; token: string } | { kind: 'disabled' };

/**
 * Wires the live sources into the process's metrics: the tenant connection cache (read at scrape
 * time) and the master client's pool events (the driver emits them on the MongoClient).
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly detach: Array<() => void> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly master: MasterConnection,
    private readonly tenants: TenantConnectionManager,
  ) {}

  get access(): MetricsAccess {
    if (this.config.metricsToken) return { kind: 'token', token: this.config.metricsToken };
    return this.config.nodeEnv === 'production' ? { kind: 'disabled' } : { kind: 'open' };
  }

  get contentType(): string {
    return metricsRegistry.contentType;
  }

  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }

  onModuleInit(): void {
    tenantConnectionsSource.size = () => this.tenants.size;
    const client = this.master.connection.getClient();
    const on = (event: string, listener: () => void) => {
      client.on(event as 'connectionCreated', listener);
      this.detach.push(() => client.off(event as 'connectionCreated', listener));
    };
    // Checked out is a gauge from its events (a request holds no connection between two scrapes,
    // so it starts right at zero); the pool size is opened minus closed, two counters, since the
    // pool may already hold connections when this runs.
    mongoPoolCheckedOut.set(0);
    on('connectionCheckedOut', () => mongoPoolCheckedOut.inc());
    on('connectionCheckedIn', () => mongoPoolCheckedOut.dec());
    on('connectionCreated', () => mongoPoolEvents.inc({ event: 'connection_created' }));
    on('connectionClosed', () => mongoPoolEvents.inc({ event: 'connection_closed' }));
    on('connectionCheckOutFailed', () => mongoPoolEvents.inc({ event: 'checkout_failed' }));
    on('connectionPoolCleared', () => mongoPoolEvents.inc({ event: 'pool_cleared' }));
  }

  onModuleDestroy(): void {
    for (const off of this.detach.splice(0)) off();
    tenantConnectionsSource.size = () => 0;
  }
}
