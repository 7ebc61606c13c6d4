import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';

/**
 * Whole-body examples for the main operations, by operationId: what a consumer reads first in
 * ReDoc/Swagger UI and what mock servers serve. Property examples (`@ApiProperty({ example })`)
 * stay on the DTOs; these show a complete, consistent request and answer. `npm run lint:openapi`
 * (Redocly, rule no-invalid-media-type-examples) checks each against its schema, so an example
 * that drifts from a DTO fails CI, and `applyExamples` throws on an operationId that no longer exists.
 */
interface OperationExamples {
  /** Keyed by media type (the login route takes the OAuth2 form and JSON). */
  request?: Record<string, unknown>;
  /** Keyed by status; each is the operation's application/json answer. */
  responses?: Record<string, unknown>;
}

const TENANT_ID = '6650c5d2f1a2b3c4d5e6f7a8';
const USER_ID = '6650c5d2f1a2b3c4d5e6f7b1';
const CREATED_AT = '2026-05-01T09:30:00.000Z';
const ACCESS_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI2NjUwYzVkMmYxYTJiM2M0ZDVlNmY3YjEifQ.c2lnbmF0dXJl';
const REFRESH_TOKEN = 'rt_3q2-7wZ9xVb1k0JQyHcN5mYtLr8uPe4A';

const TOKEN_PAIR = { access_token: ACCESS_TOKEN, refresh_token: REFRESH_TOKEN, token_type: 'bearer', expires_in: 900 };

const PROJECT = {
  id: '6650c5d2f1a2b3c4d5e6f7c9',
  name: 'Website relaunch',
  description: 'Q3 marketing site',
  created_by: USER_ID,
  created_at: CREATED_AT,
  updated_at: CREATED_AT,
};

export const OPERATION_EXAMPLES: Record<string, OperationExamples> = {
  Auth_register: {
    request: {
      'application/json': {
        email: 'ada@example.com',
        password: 'SecurePassword123!',
        org_name: 'Example Organization',
        full_name: 'Ada Lovelace',
      },
    },
    responses: {
      '201': {
        user: {
          id: USER_ID,
          email: 'ada@example.com',
          full_name: 'Ada Lovelace',
          is_active: true,
          created_at: CREATED_AT,
          updated_at: CREATED_AT,
          role: 'tenant_admin',
        },
        tenant: {
          id: TENANT_ID,
          name: 'Example Organization',
          domain: 'example-organization',
          email: 'ada@example.com',
          status: 'active',
          db_name: `t_${TENANT_ID}`,
          cluster: 'default',
          move: null,
          settings: {},
          created_at: CREATED_AT,
          updated_at: CREATED_AT,
        },
      },
    },
  },
  Auth_signIn: {
    request: {
      'application/x-www-form-urlencoded': {
        grant_type: 'password',
        username: 'ada@example.com',
        password: 'SecurePassword123!',
      },
      'application/json': { email: 'ada@example.com', password: 'SecurePassword123!' },
    },
    responses: { '200': TOKEN_PAIR },
  },
  Auth_refresh: {
    request: { 'application/json': { refresh_token: REFRESH_TOKEN } },
    responses: { '200': TOKEN_PAIR },
  },
  Projects_create: {
    request: { 'application/json': { name: 'Website relaunch', description: 'Q3 marketing site' } },
    responses: { '201': PROJECT },
  },
  Projects_list: {
    responses: { '200': { total: 1, page: 1, size: 20, items: [PROJECT] } },
  },
  Projects_get: {
    responses: {
      '200': PROJECT,
      // The documented error shape, as every 4xx/5xx answers it.
      '404': {
        status: 404,
        code: 'PROJECT_NOT_FOUND',
        detail: 'Project not found',
        request_id: '8f14e45f-ceea-467f-a0e6-1f5c6b1f2b7e',
      },
    },
  },
};

/** Sets each operation's request and response body examples; throws on an unknown operationId. */
export function applyExamples(document: OpenAPIObject, examples = OPERATION_EXAMPLES): void {
  const operations = new Map<string, OperationObject>();
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as OperationObject[]) {
      if (operation?.operationId) operations.set(operation.operationId, operation);
    }
  }
  for (const [operationId, { request, responses }] of Object.entries(examples)) {
    const operation = operations.get(operationId);
    if (!operation) throw new Error(`docs-examples: no operation ${operationId} (renamed? update the examples)`);
    const body = operation.requestBody;
    for (const [mediaType, example] of Object.entries(request ?? {})) {
      const media = body && !('$ref' in body) ? body.content[mediaType] : undefined;
      if (!media) throw new Error(`docs-examples: ${operationId} takes no ${mediaType} body`);
      media.example = example;
    }
    for (const [status, example] of Object.entries(responses ?? {})) {
      const answer = operation.responses[status] as ResponseObject | undefined;
      const media = answer?.content?.['application/json'];
      if (!answer || !media) throw new Error(`docs-examples: ${operationId} has no JSON ${status} response`);
      // A copy: Nest may share one response object between the routes of a controller.
      operation.responses[status] = {
        ...answer,
        content: { ...answer.content, 'application/json': { ...media, example } },
      };
    }
  }
}
