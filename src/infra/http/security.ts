import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { computeSecurityHeaders } from './security-headers';

/** Security headers and CORS. Never a reflected origin together with credentials. */
export async function registerSecurity(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const headers = computeSecurityHeaders({
    // The API serves JSON; the only HTML is Swagger UI and ReDoc, which need inline styles
    // and (ReDoc) its script from a CDN. Everything else is locked to 'self'.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
        fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
        imgSrc: ["'self'", 'data:', 'https://cdn.redoc.ly'],
        scriptSrc: ["'self'", 'https://cdn.redoc.ly'],
        workerSrc: ["'self'", 'blob:'],
      },
    },
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
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
}
