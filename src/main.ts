import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError } from './infra/config/config.error';
import { loadConfig } from './infra/config/load-config';
import { loadDotEnv } from './infra/config/dotenv';
import { LifecycleService } from './infra/lifecycle.service';
import { createLogger } from './infra/logging/logger';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(loadDotEnv(process.env));
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) process.stderr.write(`config error: ${problem}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const started = performance.now();
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { port: config.port, boot_ms: Math.round(performance.now() - started), secret: config.secretSource },
    `listening on http://${config.host}:${config.port}`,
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: readiness 503, draining in-flight requests');
    app.get(LifecycleService).beginShutdown();
    const force = setTimeout(() => {
      logger.error('shutdown timed out, exiting with in-flight work');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Close HTTP first (Fastify waits for in-flight requests), then the modules: Nest's own
    // close() would destroy the database connection before the server stops serving.
    await app.getHttpAdapter().close();
    await app.close();
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
