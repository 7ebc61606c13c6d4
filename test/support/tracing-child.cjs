'use strict';
/* global fetch */
/**
 * Runs the compiled app (dist/) in a plain Node process (Jest's module loader bypasses the
 * require hooks instrumentations rely on), with tracing started through its test hook: an
 * InMemorySpanExporter instead of OTLP. Makes a few real requests, then prints one JSON line:
 * { requests, spans, sdkLoaded }. argv[2] = 'on' | 'off' (off: tracing never started).
 */
const { join, resolve } = require('node:path');

const DIST = resolve(__dirname, '..', '..', 'dist');
const mode = process.argv[2];

async function main() {
  let exporter;
  let tracing;
  if (mode === 'on') {
    const { InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
    exporter = new InMemorySpanExporter();
    // Before the app's modules, as main.ts does.
    tracing = require(join(DIST, 'infra/tracing/tracing.js')).startTracing({ exporter });
  }
  const { loadConfig } = require(join(DIST, 'infra/config/load-config.js'));
  const { createLogger } = require(join(DIST, 'infra/logging/logger.js'));
  const { createApp } = require(join(DIST, 'app.factory.js'));
  const config = loadConfig(process.env);
  const app = await createApp(config, createLogger(config));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = await app.getUrl();
  const call = async (method, path, body, token) => {
    const res = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, requestId: res.headers.get('x-request-id'), body: await res.json() };
  };
  const email = `trace-${Date.now()}@example.com`;
  const password = 'Tr4ce-correct-horse-battery';
  const registered = await call('POST', '/api/v1/auth/register', { email, password, org_name: `Trace ${Date.now()}` });
  const login = await call('POST', '/api/v1/auth/login', { email, password });
  const token = login.body.access_token;
  const me = await call('GET', '/api/v1/auth/me', undefined, token);
  const project = await call('POST', '/api/v1/projects', { name: 'Traced project' }, token);
  const requests = { registered, login, me, project, tenantId: registered.body.tenant && registered.body.tenant.id };
  await app.close();
  const spans = (exporter ? exporter.getFinishedSpans() : []).map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext ? s.parentSpanContext.spanId : undefined,
    attributes: s.attributes,
  }));
  if (tracing) await tracing.shutdown();
  const sdkLoaded =
    Object.keys(require.cache).filter((k) => k.includes(`${'@opentelemetry'}/sdk-`)).length > 0 ? true : false;
  process.stdout.write(
    `${JSON.stringify({ requests, spans, sdkLoaded, instrumented: Object.keys(require.cache).some((k) => k.includes('instrumentation-')) })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
