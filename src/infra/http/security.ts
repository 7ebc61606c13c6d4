import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { computeSchemeHeaders } from './security-headers';

/** Security headers and CORS. Never a reflected origin together with credentials. */
export async function registerSecurity(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const headers = computeSchemeHeaders({
    // The API serves JSON; the only HTML is Swagger UI and ReDoc, both served from here with
    // every asset (docs work offline): they need inline styles, ReDoc data: images and a blob:
    // worker. Nothing is loaded from another origin.
    defaultSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'", 'data:'],
    imgSrc: ["'self'", 'data:'],
    scriptSrc: ["'self'"],
    workerSrc: ["'self'", 'blob:'],
  });
  // request.protocol is 'https' on a TLS socket, or from X-Forwarded-Proto only when the peer is a
  // proxy TRUST_PROXY names (Fastify checks): a client cannot ask for the other set by a header.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(request.protocol === 'https' ? headers.https : headers.http);
    done();
  });

  if (config.corsOrigins.length === 0) return; // CORS off: browsers from other origins are refused
  const wildcard = config.corsOrigins.includes('*');
  await fastify.register(cors, {
    origin: wildcard ? '*' : config.corsOrigins,
    credentials: !wildcard, // '*' with credentials is what browsers forbid and what leaks
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  });
  // @fastify/cors sends `allow-credentials: true` on every answer, also when the origin is not
  // allowed (no Access-Control-Allow-Origin): it belongs only next to an allowed origin.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('access-control-allow-origin')) reply.removeHeader('access-control-allow-credentials');
    done(null, payload);
  });
}
