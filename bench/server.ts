import 'reflect-metadata';
import { createApp } from '../src/app.factory';
import { installGracefulShutdown } from '../src/infra/lifecycle/graceful-shutdown';
import { loadConfig } from '../src/infra/config/load-config';
import { createLogger } from '../src/infra/logging/logger';
import { BenchModule } from './bench.module';

/** The production app plus the benchmark-only routes, started by bench/run.ts as a child process. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config, createLogger(config), [BenchModule]);
  await app.listen({ port: config.port, host: '127.0.0.1' });
  process.send?.('ready');
  installGracefulShutdown(app, createLogger(config), config.shutdownTimeoutMs);
}

void main();
