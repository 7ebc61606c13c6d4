import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

const REDOC_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Multi-Tenant Backend API - ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/docs-json"></redoc>
<script src="https://cdn.redoc.ly/redoc/v2.1.5/bundles/redoc.standalone.js"></script></body></html>`;

/** The OpenAPI document, generated from the controllers and DTOs (also written to openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Multi-Tenant Backend API')
    .setDescription(
      'One MongoDB database per tenant; the tenant of a request comes only from its verified access token. ' +
        'Every error (status >= 400) has the shape of ErrorBody.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/** Swagger UI at /docs, the JSON at /docs-json, ReDoc at /redoc. */
export function setupDocs(app: INestApplication, fastify: FastifyInstance): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  fastify.get('/redoc', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(REDOC_HTML);
  });
}
