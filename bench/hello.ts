import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from '../src/infra/config/app-config';
import { registerSecurity } from '../src/infra/http/security';

/**
 * Baseline: a bare Fastify 'hello' route (the same fastify copy the app uses through
 * @nestjs/platform-fastify), in its own process, no logger, no hooks. Forked by bench/run.ts.
 *
 * Diagnostic variants (HELLO_HEADERS): `helmet` registers the app's own security hook
 * (src/infra/http/security.ts: helmet's headers, computed once at boot since the @fastify/helmet
 * plugin re-computed them per request); `static` sets the same headers by hand, as a reference.
 */
const SECURITY_CONFIG = { corsOrigins: [] } as unknown as AppConfig;

/** The headers the app's security plugins put on a response, captured once. */
async function securityHeaders(): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await registerSecurity(probe, SECURITY_CONFIG);
  probe.get('/', () => ({ hello: 'world' }));
  const res = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  const skip = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  return Object.fromEntries(
    Object.entries(res.headers)
      .filter(([name]) => !skip.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
}

async function build(mode: string | undefined): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (mode === 'helmet') await registerSecurity(app, SECURITY_CONFIG);
  if (mode === 'static') {
    const headers = await securityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  }
  app.get('/', () => ({ hello: 'world' }));
  return app;
}

async function main(): Promise<void> {
  const app = await build(process.env.HELLO_HEADERS);
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.send?.('ready');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
