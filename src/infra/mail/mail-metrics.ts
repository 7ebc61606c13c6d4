import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../metrics/metrics';

/**
 * The mail outbox's Prometheus metrics (README "Observability"). Labels are bounded (status,
 * outcome kind); never a tenant id or an address.
 */
export const mailOutboxDepth = new Gauge({
  name: 'mail_outbox_depth',
  help: "Mails in the outbox by status (pending, sending, dead), as last counted by this instance's sender",
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const mailSendFailures = new Counter({
  name: 'mail_send_failures_total',
  help: 'Failed delivery tries by this instance (retry: will be tried again; dead: gave up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const mailsSent = new Counter({
  name: 'mail_sent_total',
  help: 'Mails accepted by the transport (SMTP 250, or the .eml file written) by this instance',
  registers: [metricsRegistry],
});
