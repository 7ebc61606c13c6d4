import { randomBytes } from 'node:crypto';
import {
  type ApiClient,
  bearerAuth,
  createApiClient,
  type ErrorBody,
  type ErrorCode,
  isErrorBody,
  OAUTH2_FORM,
} from '../clients/typescript';
import { requireBuiltServer, type ServerProcess, spawnServer, waitForStatus } from './support/real-server';
import { freePort } from './support/services';
import { testEnv } from './support/test-app';

const PASSWORD = 'Correct-Horse-Battery-9';

/** The outgoing request of the last call, as the server received it (read by a middleware). */
interface SentRequest {
  contentType: string | null;
  body: string;
}

/**
 * Consumers' view: the production build (dist/main.js) over real HTTP, driven only through the
 * generated client in clients/typescript (types from openapi.json + openapi-fetch). A change to
 * the API that breaks a consumer (a renamed field, a new required field, a different error shape,
 * a login that no longer takes the OAuth2 form) fails here: at compile time (ts-jest type-checks
 * this file against the committed schema.d.ts) or at run time.
 */
describe('generated TypeScript client against the running server', () => {
  let server: ServerProcess | undefined;
  let baseUrl: string;
  let requests = 0;
  let started = 0;

  beforeAll(async () => {
    requireBuiltServer();
    const port = await freePort();
    server = spawnServer(testEnv({ HOST: '127.0.0.1', PORT: `${port}` }));
    await waitForStatus(port, '/health/ready', 200, 30000);
    baseUrl = `http://127.0.0.1:${port}`;
    started = Date.now();
  });
  afterAll(() => {
    server?.kill();
    console.log(
      `typescript client: ${requests} requests to dist/main.js over HTTP, all through clients/typescript ` +
        `(${Date.now() - started} ms)`,
    );
  });

  /** A client that records what it sends; `token` (when given) goes out as a bearer token. */
  function clientFor(token?: () => string | undefined): { client: ApiClient; sent: SentRequest[] } {
    const client = createApiClient({ baseUrl });
    const sent: SentRequest[] = [];
    client.use({
      async onRequest({ request }) {
        requests += 1;
        sent.push({ contentType: request.headers.get('content-type'), body: await request.clone().text() });
        return request;
      },
    });
    if (token) client.use(bearerAuth(token));
    return { client, sent };
  }

  /** Sign-up (creates a tenant and its tenant_admin), then login with the OAuth2 form. */
  async function signUpAndLogIn(): Promise<{ client: ApiClient; email: string; domain: string }> {
    const anonymous = clientFor();
    const suffix = randomBytes(4).toString('hex');
    const email = `ada-${suffix}@example.com`;
    // No `is_superadmin`: the field has a default, so the generated type must leave it optional
    // (openapi-typescript 7 runs with --default-non-nullable false); otherwise this does not compile.
    const signUp = await anonymous.client.POST('/api/v1/auth/register', {
      body: { email, password: PASSWORD, org_name: `Client Org ${suffix}`, full_name: 'Ada Lovelace' },
    });
    expect({ status: signUp.response.status, error: signUp.error }).toEqual({ status: 201, error: undefined });
    expect(signUp.data?.user).toMatchObject({ email, role: 'tenant_admin', is_active: true });
    const domain = signUp.data?.tenant?.domain ?? '';
    expect(domain).toBe(`client-org-${suffix}`);

    const login = await anonymous.client.POST('/api/v1/auth/login', {
      body: { grant_type: 'password', username: email, password: PASSWORD },
      ...OAUTH2_FORM,
    });
    expect({ status: login.response.status, error: login.error }).toEqual({ status: 200, error: undefined });
    // What went over the wire is the OAuth2 form, not JSON.
    expect(anonymous.sent.at(-1)).toEqual({
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ grant_type: 'password', username: email, password: PASSWORD }).toString(),
    });
    expect(login.data).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
    const accessToken = login.data?.access_token;
    expect(accessToken?.split('.')).toHaveLength(3);
    return { client: clientFor(() => accessToken).client, email, domain };
  }

  it('signs up, logs in with the OAuth2 form and runs a tenant-scoped project CRUD', async () => {
    const { client, email } = await signUpAndLogIn();

    const me = await client.GET('/api/v1/auth/me');
    expect(me.data).toMatchObject({ email, role: 'tenant_admin' });

    const created = await client.POST('/api/v1/projects', {
      body: { name: 'Website relaunch', description: 'Q3 marketing site' },
    });
    expect(created.response.status).toBe(201);
    const project = created.data;
    expect(project).toMatchObject({
      name: 'Website relaunch',
      description: 'Q3 marketing site',
      created_by: me.data?.id,
    });
    const projectId = project?.id ?? '';

    const listed = await client.GET('/api/v1/projects', { params: { query: { page: 1, size: 10 } } });
    expect(listed.data).toMatchObject({ total: 1, page: 1, size: 10 });
    expect(listed.data?.items.map((p) => p.id)).toEqual([projectId]);

    const updated = await client.PATCH('/api/v1/projects/{project_id}', {
      params: { path: { project_id: projectId } },
      body: { name: 'Website relaunch v2', description: null },
    });
    expect(updated.data).toMatchObject({ id: projectId, name: 'Website relaunch v2', description: null });

    const read = await client.GET('/api/v1/projects/{project_id}', { params: { path: { project_id: projectId } } });
    expect(read.data).toEqual(updated.data);

    // Tenant scope: another tenant's admin does not see it, by list or by id.
    const other = await signUpAndLogIn();
    const otherList = await other.client.GET('/api/v1/projects');
    expect(otherList.data).toMatchObject({ total: 0, items: [] });
    const otherRead = await other.client.GET('/api/v1/projects/{project_id}', {
      params: { path: { project_id: projectId } },
    });
    expect(otherRead.error?.code).toBe('PROJECT_NOT_FOUND');

    const removed = await client.DELETE('/api/v1/projects/{project_id}', {
      params: { path: { project_id: projectId } },
    });
    expect({ status: removed.response.status, error: removed.error }).toEqual({ status: 204, error: undefined });
  });

  it('reads errors through the documented, typed error shape', async () => {
    const { client } = await signUpAndLogIn();

    const missing = await client.GET('/api/v1/projects/{project_id}', {
      params: { path: { project_id: '6650c5d2f1a2b3c4d5e6f7a8' } },
    });
    expect(missing.data).toBeUndefined();
    // `missing.error` is typed as ErrorBody: its code is an ErrorCode, checked by the compiler.
    const notFound: ErrorBody | undefined = missing.error;
    const code: ErrorCode | undefined = notFound?.code;
    expect(code).toBe('PROJECT_NOT_FOUND');
    expect(notFound).toEqual({
      status: 404,
      code: 'PROJECT_NOT_FOUND',
      detail: 'Project not found',
      request_id: missing.response.headers.get('x-request-id'),
    });
    expect(isErrorBody(notFound)).toBe(true);

    const invalid = await client.POST('/api/v1/projects', { body: { name: '' } });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
    expect(invalid.error?.errors?.map((e) => e.field)).toEqual(['name']);

    const anonymous = clientFor().client;
    const denied = await anonymous.GET('/api/v1/projects');
    expect(denied.error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(denied.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses, at compile time, requests the contract does not allow', () => {
    const client = clientFor().client;
    // Never sent: these only have to fail type-checking (ts-jest reports an expect-error
    // directive that has no error to expect, so each line proves the generated types are strict).
    const neverCalled = (): unknown[] => [
      // @ts-expect-error `name` is required to create a project
      client.POST('/api/v1/projects', { body: { description: 'no name' } }),
      // @ts-expect-error `name` is a string
      client.POST('/api/v1/projects', { body: { name: 42 } }),
      // @ts-expect-error `password` is required to sign up
      client.POST('/api/v1/auth/register', { body: { email: 'a@example.com' } }),
      // @ts-expect-error the path parameter is required
      client.GET('/api/v1/projects/{project_id}'),
      // @ts-expect-error no such route
      client.GET('/api/v1/project'),
    ];
    expect(typeof neverCalled).toBe('function');
  });
});
