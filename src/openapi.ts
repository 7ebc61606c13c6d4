import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createApp } from './app.factory';
import { buildOpenApiDocument } from './infra/http/docs';
import { loadConfig } from './infra/config/load-config';
import { createLogger } from './infra/logging/logger';

/**
 * `npm run openapi`: writes the OpenAPI document to openapi.json (committed). The e2e suite fails
 * when the committed file differs from what the code generates, so the contract cannot drift.
 * Needs no database: the app is built, not connected (a closed port makes boot skip ahead).
 */
async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: randomBytes(48).toString('base64url'),
    MONGODB_URL: 'mongodb://127.0.0.1:9',
    MONGO_SERVER_SELECTION_TIMEOUT_MS: '100',
    LOG_LEVEL: 'silent',
  });
  const app = await createApp(config, createLogger(config));
  writeFileSync('openapi.json', `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  process.stdout.write('wrote openapi.json\n');
}

void main();
