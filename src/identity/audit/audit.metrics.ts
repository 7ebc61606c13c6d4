import { Counter } from 'prom-client';
import { metricsRegistry } from '../../infra/metrics/metrics';

/** First attempts of an audit write that failed (then retried in the background). */
export const auditWriteFailures = new Counter({
  name: 'audit_write_failures_total',
  help: 'Audit event writes that failed on their first attempt (retried in the background)',
  registers: [metricsRegistry],
});

/** Events given up after every retry: missing from their stream (each is logged at error level). */
export const auditEventsLost = new Counter({
  name: 'audit_events_lost_total',
  help: 'Audit events dropped after every retry failed (each one is logged at error level)',
  registers: [metricsRegistry],
});
