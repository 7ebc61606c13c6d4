import { createHmac, generateKeyPairSync, randomBytes, sign as rsaSign } from 'node:crypto';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import { Factory, type TenantSession } from './support/factories';

const b64 = (value: object | string | Buffer) =>
  Buffer.from(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString(
    'base64url',
  );

function hs256(header: object, payload: object, secret: string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Every forged or misused token, on every protected operation of the OpenAPI document: all 401.
 * The real token works on the same routes, so the test could fail.
 */
describe('forged tokens', () => {
  let t: TestApp;
  let tenant: TenantSession;
  let claims: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    tenant = await new Factory(t.app).tenant();
    const [, payload] = tenant.admin.tokens.access_token.split('.');
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  });
  afterAll(() => t.close());

  function forgeries(): Record<string, string> {
    const secret = t.config.secretKey;
    const real = tenant.admin.tokens.access_token;
    const [h, p, s] = real.split('.');
    const now = Math.floor(Date.now() / 1000);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const rs256 = (header: object, payload: object) => {
      const input = `${b64(header)}.${b64(payload)}`;
      return `${input}.${rsaSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    };
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    const tampered = (patch: object) => `${h}.${b64({ ...claims, ...patch })}.${s}`;
    const signed = (patch: object, header: object = { alg: 'HS256', typ: 'JWT' }) =>
      hs256(header, { ...claims, ...patch }, secret);
    return {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
      'alg None': `${b64({ alg: 'None', typ: 'JWT' })}.${p}.`,
      'alg NONE with signature': `${b64({ alg: 'NONE', typ: 'JWT' })}.${p}.${s}`,
      'signature stripped': `${h}.${p}.`,
      'signature of another token': `${h}.${p}.${tenant.admin.tokens.refresh_token}`,
      'wrong secret': hs256({ alg: 'HS256', typ: 'JWT' }, claims, randomBytes(48)),
      'empty secret': hs256({ alg: 'HS256', typ: 'JWT' }, claims, ''),
      'HS384 with the real secret': (() => {
        const input = `${b64({ alg: 'HS384', typ: 'JWT' })}.${p}`;
        return `${input}.${createHmac('sha384', secret).update(input).digest('base64url')}`;
      })(),
      'RS256 with an attacker key': rs256({ alg: 'RS256', typ: 'JWT' }, claims),
      'HS256 keyed with a public key PEM (RS/HS confusion)': hs256({ alg: 'HS256', typ: 'JWT' }, claims, pem),
      'jwk header injection': rs256({ alg: 'RS256', typ: 'JWT', jwk }, claims),
      'jku header injection': rs256({ alg: 'RS256', typ: 'JWT', jku: 'http://127.0.0.1:1/jwks.json' }, claims),
      'kid path injection': hs256({ alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null' }, claims, ''),
      'tampered role': tampered({ role: 'superadmin' }),
      'tampered tid': tampered({ tid: 'f'.repeat(24) }),
      'tampered sub': tampered({ sub: 'e'.repeat(24) }),
      'wrong iss': signed({ iss: 'someone-else' }),
      'wrong aud': signed({ aud: 'another-api' }),
      'no aud': signed({ aud: undefined }),
      expired: signed({ iat: now - 7200, exp: now - 3600 }),
      'not yet valid': signed({ nbf: now + 3600 }),
      'typ refresh': signed({ typ: 'refresh' }),
      'typ missing': signed({ typ: undefined }),
      'superadmin role with a tenant': signed({ role: 'superadmin' }),
      'user that does not exist': signed({ sub: 'a'.repeat(24) }),
      'stale token version': signed({ ver: 99 }),
      'refresh token as bearer': tenant.admin.tokens.refresh_token,
      'empty bearer': '',
      garbage: 'a.b.c',
    };
  }

  async function protectedOperations(): Promise<Array<{ method: string; url: string }>> {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    const ops: Array<{ method: string; url: string }> = [];
    for (const [path, item] of Object.entries<Record<string, { security?: unknown[] }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.security) continue;
        ops.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, tenant.tenantId) });
      }
    }
    return ops;
  }

  it('the genuine token is accepted (the test can fail)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: tenant.admin.auth });
    expect(res.statusCode).toBe(200);
  });

  it('every forgery on every protected operation answers 401 in the error shape', async () => {
    const ops = await protectedOperations();
    const forged = forgeries();
    expect(ops.length).toBeGreaterThan(20);
    const accepted: string[] = [];
    let requests = 0;
    for (const [name, token] of Object.entries(forged)) {
      for (const op of ops) {
        const res = await t.app.inject({
          method: op.method as 'GET',
          url: op.url,
          headers: { authorization: `Bearer ${token}` },
          payload: ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined,
        });
        requests += 1;
        if (res.statusCode !== 401) accepted.push(`${name}: ${op.method} ${op.url} -> ${res.statusCode}`);
        else expectErrorBody(res, 401, 'UNAUTHENTICATED');
      }
    }
    console.log(
      `forged tokens: ${requests} requests (${Object.keys(forged).length} forgeries x ${ops.length} operations), ${accepted.length} not 401`,
    );
    expect(accepted).toEqual([]);
  });
});
