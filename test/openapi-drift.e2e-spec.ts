import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../src/common/errors/error-code';
import { buildOpenApiDocument } from '../src/infra/http/docs';
import { createTestApp, type TestApp } from './support/test-app';

/** The committed openapi.json is the contract: it must be what the code generates. */
describe('OpenAPI document', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('matches the committed openapi.json (run `npm run openapi` after changing routes or DTOs)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument(t.app)))).toEqual(committed);
  });

  it('documents bearer security on every non-public operation and the error codes', () => {
    const doc = buildOpenApiDocument(t.app);
    const publicOps = new Set([
      'get /',
      'get /health',
      'get /health/ready',
      'post /api/v1/auth/register',
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh-token',
    ]);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        const key = `${method} ${path}`;
        if (publicOps.has(key)) expect({ key, security: op.security }).toEqual({ key, security: undefined });
        else expect({ key, security: op.security }).toEqual({ key, security: [{ bearer: [] }] });
      }
    }
    const codes = doc.components?.schemas?.ErrorCode as { enum?: string[] };
    expect(codes.enum).toEqual(Object.values(ErrorCode));
  });
});
