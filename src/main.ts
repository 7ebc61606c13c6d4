import 'reflect-metadata';
import { ConfigError } from './infra/config/config.error';
import { loadConfig } from './infra/config/load-config';
import { loadDotEnv } from './infra/config/dotenv';
import { installGracefulShutdown } from './infra/lifecycle/graceful-shutdown';
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
  // Order matters: tracing starts BEFORE the app's modules are loaded (its instrumentations patch
  // http, mongodb and @redis/client as they are required), so the app comes in by a dynamic
  // import after it. Without OTEL_EXPORTER_OTLP_ENDPOINT the SDK is never even loaded.
  let tracing: { shutdown(): Promise<void> } | undefined;
  if (config.otelEndpoint) {
    const { startTracing } = await import('./infra/tracing/tracing.js');
    tracing = startTracing({ endpoint: config.otelEndpoint });
    logger.info({ otlp: new URL(config.otelEndpoint).origin }, 'tracing on (OpenTelemetry, OTLP/HTTP)');
  }
  const { createApp } = await import('./app.factory.js');
  const app = await createApp(config, logger);
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { port: config.port, boot_ms: Math.round(performance.now() - started), secret: config.secretSource },
    `listening on http://${config.host}:${config.port}`,
  );

  installGracefulShutdown(app, logger, config.shutdownTimeoutMs, tracing && (() => tracing.shutdown()));
}

void bootstrap().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
