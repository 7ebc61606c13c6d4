import type { Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { LifecycleService } from './lifecycle.service';

/**
 * SIGTERM/SIGINT: readiness turns 503 at once, HTTP stops accepting and waits for in-flight
 * requests, then the modules close (database, Redis), then exit 0. Nest's own close() would
 * destroy the database connection before the HTTP server stops serving; hence this order.
 * Past `timeoutMs` the process exits 1 with whatever is still running. `afterClose` runs last
 * (main.ts: flushing the spans still batched by the tracer).
 */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  logger: Logger,
  timeoutMs: number,
  afterClose?: () => Promise<void>,
): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: readiness 503, draining in-flight requests');
    app.get(LifecycleService).beginShutdown();
    const force = setTimeout(() => {
      logger.error('shutdown timed out, exiting with in-flight work');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    // Keep-alive sockets that go idle once their response is sent would hold server.close()
    // open until their keep-alive timeout: close them as they go idle.
    const server: Server = app.getHttpServer();
    const reaper = setInterval(() => server.closeIdleConnections(), 100);
    await app.getHttpAdapter().close();
    clearInterval(reaper);
    await app.close();
    await afterClose?.();
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
