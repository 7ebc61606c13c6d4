import { createHmac, generateKeyPairSync, randomBytes, sign as rsaSign } from 'node:crypto';
import { createTestApp, type TestApp } from './support/test-app';
import { expectErrorBody } from './support/expect-error';
import type { Role } from '../src/common/auth/principal';
import { Factory, type Session, type TenantSession } from './support/factories';

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
 * A genuine token of an allowed role is accepted on each of those operations (the positive
 * control), so a route that refused everything would fail this suite, not pass it.
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

  interface Operation {
    method: string;
    url: string;
    /** The roles `@Auth` admits, from the 403 response it documents ("Allowed roles: a, b"). */
    roles: Role[];
  }

  /** Every protected operation of the OpenAPI document, its path parameters all set to `param`. */
  async function protectedOperations(param: string): Promise<Operation[]> {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs-json' })).json();
    type Op = { security?: unknown[]; responses: Record<string, { description?: string }> };
    const ops: Operation[] = [];
    for (const [path, item] of Object.entries<Record<string, Op>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!op.security?.length) continue; // public operations have `security: []`
        const allowed = /^Allowed roles: ([a-z_, ]+)\./.exec(op.responses['403']?.description ?? '');
        if (!allowed) throw new Error(`${method} ${path}: no "Allowed roles" in its documented 403`);
        const roles = allowed[1].split(', ') as Role[];
        ops.push({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, param), roles });
      }
    }
    return ops;
  }

  const send = (op: Operation, authorization: string) =>
    t.app.inject({
      method: op.method as 'GET',
      url: op.url,
      headers: { authorization },
      payload: ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined,
    });

  /**
   * Deletions last, and among them the ones whose URL prefixes other operations' URLs (DELETE
   * /tenants/{id} removes what /tenants/{id}/users needs, and the accounts making the calls).
   */
  const destructiveLast = (ops: Operation[]): Operation[] => {
    const weight = (op: Operation) =>
      op.method === 'DELETE' ? 1 + ops.filter((o) => o.url.startsWith(`${op.url}/`)).length : 0;
    return [...ops].sort((a, b) => weight(a) - weight(b));
  };

  it('a genuine token of an allowed role is accepted on every operation the forgeries are sent to', async () => {
    // A tenant of its own: genuine calls end sessions and delete things (logout-all, DELETE
    // /tenants/{id}), which must not change what the forgeries below are judged against.
    const f = new Factory(t.app);
    const own = await f.tenant();
    // Only public routes build this (register, login): a guard refusing every protected route
    // fails the assertion below, not the setup. A plain user only if some operation needs one.
    let user: Session | undefined;
    const account = async (role: Role): Promise<Session> => {
      if (role === 'tenant_admin') return own.admin;
      if (role === 'superadmin') return f.superadminSession();
      return (user ??= await f.member(own));
    };
    const ops = destructiveLast(await protectedOperations(own.tenantId));
    expect(ops.length).toBeGreaterThan(20);
    const refused: string[] = [];
    for (const op of ops) {
      // The forgeries are made from a tenant admin's token: that role wherever it is allowed.
      const role = (['tenant_admin', 'superadmin', 'user'] as const).find((r) => op.roles.includes(r))!;
      const { email, password } = await account(role);
      // A fresh login per call: an earlier call (logout-all) may have ended the previous session.
      const { access_token } = await f.login(email, password);
      const res = await send(op, `Bearer ${access_token}`);
      if (res.statusCode === 401 || res.statusCode === 403) {
        refused.push(`${role}: ${op.method} ${op.url} -> ${res.statusCode} ${res.body}`);
      }
    }
    console.log(
      `forged tokens, positive control: ${ops.length} operations with a genuine token of an allowed role, ${refused.length} answered 401/403`,
    );
    expect(refused).toEqual([]);
  });

  it('every forgery on every protected operation answers 401 in the error shape', async () => {
    const ops = await protectedOperations(tenant.tenantId);
    const forged = forgeries();
    expect(ops.length).toBeGreaterThan(20);
    const accepted: string[] = [];
    let requests = 0;
    for (const [name, token] of Object.entries(forged)) {
      for (const op of ops) {
        const res = await send(op, `Bearer ${token}`);
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
