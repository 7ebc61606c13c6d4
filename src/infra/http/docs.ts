import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type ResponseObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { allErrorCodes } from '../../common/errors/module-error-codes';
import { JSON_MAX_DEPTH } from './json-body';
import { documentIdempotencyKey } from '../idempotency/idempotency.openapi';
import { applyExamples } from './docs-examples';

/** ReDoc's bundle, served by this service (vendor/redoc, from the npm package): no CDN, works offline. */
const REDOC_BUNDLE = resolve(__dirname, '..', '..', '..', 'vendor', 'redoc', 'redoc.standalone.js');
const REDOC_BUNDLE_URL = '/redoc/redoc.standalone.js';

// disable-telemetry: ReDoc 3 otherwise sends usage traces to its vendor.
const REDOC_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Multi-Tenant Backend API - ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/docs-json" disable-telemetry="true"></redoc>
<script type="module" src="${REDOC_BUNDLE_URL}"></script></body></html>`;

/** The OpenAPI document, generated from the controllers and DTOs (also written to openapi.json). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Multi-Tenant Backend API')
    .setDescription(
      'One MongoDB database per tenant; the tenant of a request comes only from its verified access token. ' +
        'Every error (status >= 400) has the shape of ErrorBody.',
    )
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the API is wherever this document is served from (each deployment has its own
    // host); a generated client passes its own baseUrl.
    .addServer('/', 'This service (paths are relative to the host serving this document)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description:
          'A tenant API key: acts in its tenant with its role, on the operations that list this scheme. Never together with Authorization (400 AMBIGUOUS_CREDENTIALS).',
      },
      'apiKey',
    )
    // Swagger UI's Authorize can then log in with email and password: the login route takes the
    // OAuth2 password form. Every protected route lists both schemes as alternatives (@Auth).
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Email as username. Add `tenant` only when the email has accounts in several tenants.',
        flows: { password: { tokenUrl: '/api/v1/auth/login', scopes: {} } },
      },
      'oauth2',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  addFrameworkResponses(document);
  documentIdempotencyKey(document);
  listModuleErrorCodes(document);
  applyExamples(document);
  return document;
}

/** The ErrorCode enum lists the platform's codes and those modules define in their own folder. */
function listModuleErrorCodes(document: OpenAPIObject): void {
  const schema = document.components?.schemas?.ErrorCode;
  if (schema && !('$ref' in schema)) schema.enum = allErrorCodes();
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Responses that come from the HTTP layer rather than from a handler, documented once here
 * instead of on every route: every operation with a body may answer 400 MALFORMED_BODY (not
 * JSON, empty JSON body, wrong Content-Length), 413 PAYLOAD_TOO_LARGE and 415
 * UNSUPPORTED_MEDIA_TYPE; every operation with a path parameter answers 404 for an id that is
 * malformed or too long (API.md: never a 500); every operation answers 431 HEADERS_TOO_LARGE to
 * headers over Node's limit. A status the route already documents keeps its own description,
 * with the framework's reason appended.
 */
function addFrameworkResponses(document: OpenAPIObject): void {
  const errorBody = (description: string): ResponseObject => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } },
  });
  const add = (operation: OperationObject, status: string, description: string): void => {
    const existing = operation.responses[status] as ResponseObject | undefined;
    if (!existing) {
      operation.responses[status] = errorBody(description);
    } else if (!existing.description.includes(description)) {
      // A copy: Nest may share one response object between the routes of a controller.
      const merged = existing.description ? `${existing.description}; ${description}` : description;
      operation.responses[status] = { ...existing, description: merged };
    }
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      // The global guard denies by default and @Auth documents the schemes it admits, so an
      // operation without security entries is @Public(): say so explicitly (an absent `security`
      // would read as "whatever the document's default is").
      operation.security ??= [];
      if (operation.security.length)
        add(operation, '400', 'AMBIGUOUS_CREDENTIALS: both Authorization and X-API-Key sent');
      if (operation.requestBody) {
        closeRequestSchemas(document, operation);
        add(
          operation,
          '400',
          `MALFORMED_BODY: the body is not valid JSON, nests objects or arrays deeper than ${JSON_MAX_DEPTH} levels, or is empty with a JSON Content-Type`,
        );
        add(operation, '413', 'PAYLOAD_TOO_LARGE: the body exceeds BODY_LIMIT_BYTES');
        add(operation, '415', 'UNSUPPORTED_MEDIA_TYPE: a Content-Type not listed for the request body');
      }
      const hasPathParameter = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].some(
        (parameter) => 'in' in parameter && parameter.in === 'path',
      );
      if (hasPathParameter) add(operation, '404', 'NOT_FOUND: malformed, over-long or unknown id');
      // Node's HTTP parser refuses oversized headers on every route, before routing (clientErrorHandler).
      add(operation, '431', 'HEADERS_TOO_LARGE: request headers over 16 KiB; the connection is closed');
      // Listed by status, as Nest lists the ones it generates.
      operation.responses = Object.fromEntries(
        Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)),
      );
    }
  }
}

/**
 * The global ValidationPipe refuses unknown body fields (`forbidNonWhitelisted`: 422), so a
 * request body's schema admits no other properties. Nested free-form objects (tenant `settings`)
 * keep their own `additionalProperties: true`.
 */
function closeRequestSchemas(document: OpenAPIObject, operation: OperationObject): void {
  const body = operation.requestBody;
  if (!body || '$ref' in body) return;
  for (const media of Object.values(body.content)) {
    const ref = media.schema && '$ref' in media.schema ? media.schema.$ref : undefined;
    const schema = ref ? document.components?.schemas?.[ref.replace('#/components/schemas/', '')] : undefined;
    if (schema && !('$ref' in schema) && schema.type === 'object') schema.additionalProperties = false;
  }
}

/** Swagger UI at /docs, the JSON at /docs-json, ReDoc at /redoc. */
export function setupDocs(app: INestApplication, fastify: FastifyInstance): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  fastify.get('/redoc', (_req, reply) => {
    void reply.type('text/html; charset=utf-8').send(REDOC_HTML);
  });
  // Read once at boot (2.2 MB), only when the docs are on.
  const bundle = readFileSync(REDOC_BUNDLE);
  fastify.get(REDOC_BUNDLE_URL, (_req, reply) => {
    void reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(bundle);
  });
}
