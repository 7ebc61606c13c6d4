import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, one registry for the process (prom-client's instruments are
 * process-wide by nature: default process metrics can be registered once only). Every label value
 * is bounded: route templates, methods, statuses, limit names, pool event kinds; never a tenant id,
 * user id or raw URL.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

/** Request count (`_count`) and latency by route template, method and status: one observe per request. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route template (unmatched routes: "unmatched"), method and status; _count is the request count',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/**
 * PlatformCache reads, counted in plain numbers (five per authenticated request: a labelled
 * `inc` validates and hashes its labels each time) and handed to the counter when scraped.
 */
const lookups = { hit: 0, miss: 0 };
const lookupsReported = { hit: 0, miss: 0 };

export const cacheLookups = new Counter({
  name: 'platform_cache_lookups_total',
  help: 'PlatformCache reads by result (hit, miss; a timeout or error counts as a miss)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
  collect() {
    for (const result of ['hit', 'miss'] as const) {
      const delta = lookups[result] - lookupsReported[result];
      if (delta > 0) this.inc({ result }, delta);
      lookupsReported[result] = lookups[result];
    }
  },
});

export const rateLimitRefusals = new Counter({
  name: 'rate_limit_exceeded_total',
  help: 'Hits over a rate limit, by limit name (loginAccount slows down instead of refusing)',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

/** Read at scrape time from the live source the metrics service points it at. */
export const tenantConnectionsSource: { size: () => number } = { size: () => 0 };
export const tenantConnectionsCached = new Gauge({
  name: 'tenant_connections_cached',
  help: 'Tenants whose connection and models are cached (LRU)',
  registers: [metricsRegistry],
  collect() {
    this.set(tenantConnectionsSource.size());
  },
});

export const mongoPoolCheckedOut = new Gauge({
  name: 'mongodb_pool_checked_out_connections',
  help: 'MongoDB connections checked out of the master client pool (tenant databases share it)',
  registers: [metricsRegistry],
});

export const mongoPoolEvents = new Counter({
  name: 'mongodb_pool_events_total',
  help: 'MongoDB pool events of the master client: connection_created - connection_closed is the pool size; checkout_failed, pool_cleared',
  labelNames: ['event'] as const,
  registers: [metricsRegistry],
});

/** Called by PlatformCache on every read. */
export function recordCacheLookup(hit: boolean): void {
  if (hit) lookups.hit++;
  else lookups.miss++;
}

/** Called by the rate limiter on every decision over a limit. */
export function recordRateLimitExceeded(limit: string): void {
  rateLimitRefusals.inc({ limit });
}
