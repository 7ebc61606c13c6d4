import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../src/common/errors/error-code';
import { allErrorCodes } from '../src/common/errors/module-error-codes';
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

  it('documents bearer or OAuth2 password security on every non-public operation and the error codes', () => {
    const doc = buildOpenApiDocument(t.app);
    const publicOps = new Set([
      'get /',
      'get /health',
      'get /health/ready',
      'post /api/v1/auth/register',
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh-token',
      'post /api/v1/auth/forgot-password',
      'post /api/v1/auth/reset-password',
      'post /api/v1/auth/verify-email',
    ]);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
        const key = `${method} ${path}`;
        // Public operations say so explicitly (`security: []`), as Redocly's security-defined rule asks.
        if (publicOps.has(key)) expect({ key, security: op.security }).toEqual({ key, security: [] });
        else {
          // Operations that admit tenant API keys (`@Auth({ apiKey: true })`) list that scheme too.
          const keys = (op.security ?? []).some(
            (entry) => typeof entry === 'object' && entry !== null && 'apiKey' in entry,
          )
            ? [{ apiKey: [] }]
            : [];
          expect({ key, security: op.security }).toEqual({ key, security: [{ bearer: [] }, { oauth2: [] }, ...keys] });
        }
      }
    }
    // The OAuth2 password flow's tokenUrl is the real login route, which takes the OAuth2 form.
    const oauth2 = doc.components?.securitySchemes?.oauth2 as { flows?: { password?: { tokenUrl?: string } } };
    const tokenUrl = oauth2.flows?.password?.tokenUrl ?? '';
    expect(tokenUrl).toBe('/api/v1/auth/login');
    const login = doc.paths[tokenUrl]?.post?.requestBody as { content?: Record<string, unknown> } | undefined;
    expect(Object.keys(login?.content ?? {})).toContain('application/x-www-form-urlencoded');
    const codes = doc.components?.schemas?.ErrorCode as { enum?: string[] };
    expect(codes.enum).toEqual(allErrorCodes());
    expect(codes.enum).toContain('PROJECT_NOT_FOUND'); // defined in src/modules/projects/projects.errors.ts
  });

  it("the README's error table lists every platform code, and no code that does not exist", () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## Errors'),
      readme.indexOf('\n## ', readme.indexOf('\n## Errors') + 1),
    );
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    // Feature modules document their own codes in the OpenAPI ErrorCode enum; the README may show them too.
    expect(Object.values(ErrorCode).filter((code) => !listed.includes(code))).toEqual([]);
    expect(listed.filter((code) => !allErrorCodes().includes(code))).toEqual([]);
  });
});
