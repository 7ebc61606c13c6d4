import { createHmac, createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Algorithm } from 'jsonwebtoken';
import { AccessTokenVerifier, verifyAccessJwt } from './access-token-verifier';

const key = createSecretKey(Buffer.from('a-test-secret-of-some-length-0123456789', 'utf8'));
const otherKey = createSecretKey(Buffer.from('another-secret-of-some-length-987654321', 'utf8'));
const options = { issuer: 'iss-1', audience: 'aud-1', clockToleranceSeconds: 5, maxAgeSeconds: 905 };
const jwt = new JwtService({});
const now = Math.floor(Date.now() / 1000);

/** Signed the way TokenService signs (jsonwebtoken through @nestjs/jwt), with overrides. */
function sign(claims: object = {}, opts: { algorithm?: Algorithm; secret?: typeof key; expiresIn?: number } = {}) {
  return jwt.sign(
    { sub: 'u1', typ: 'access', iat: Date.now() / 1000, ...claims },
    {
      secret: (opts.secret ?? key) as unknown as string,
      algorithm: opts.algorithm ?? 'HS256',
      expiresIn: opts.expiresIn ?? 900,
      issuer: 'iss-1',
      audience: 'aud-1',
    },
  );
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs256 = (input: string, secret = key) => createHmac('sha256', secret).update(input).digest('base64url');

/** A token built by hand: header and claims as given, HS256-signed with `key`. */
function handMade(header: object, claims: object): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${hs256(input)}`;
}

const goodClaims = () => ({ sub: 'u1', iat: now, exp: now + 900, iss: 'iss-1', aud: 'aud-1' });

describe('verifyAccessJwt', () => {
  it('accepts a token TokenService would sign, and returns its claims', () => {
    expect(verifyAccessJwt(sign(), key, options)).toMatchObject({ sub: 'u1', typ: 'access', iss: 'iss-1' });
  });

  it('accepts another serialisation of an HS256 header, and an audience list that holds ours', () => {
    const token = handMade({ typ: 'JWT', alg: 'HS256' }, { ...goodClaims(), aud: ['x', 'aud-1'] });
    expect(verifyAccessJwt(token, key, options)).toMatchObject({ sub: 'u1' });
  });

  it.each<[string, () => string]>([
    ['signed with another key', () => sign({}, { secret: otherKey })],
    ['HS512 (algorithm pinned)', () => sign({}, { algorithm: 'HS512' })],
    ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(goodClaims())}.`],
    ['alg none, a signature', () => handMade({ alg: 'none' }, goodClaims())],
    ['expired beyond the tolerance', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), exp: now - 6 })],
    ['without exp', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), exp: undefined })],
    ['exp not a number', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), exp: String(now + 900) })],
    ['not valid before later', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), nbf: now + 60 })],
    ['older than the age limit', () => sign({ iat: now - 911 }, { expiresIn: 3600 })],
    ['without iat', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), iat: undefined })],
    ['another issuer', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), iss: 'iss-2' })],
    ['another audience', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), aud: 'aud-2' })],
    ['no audience', () => handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), aud: undefined })],
    ['claims not an object', () => handMade({ alg: 'HS256', typ: 'JWT' }, ['a'])],
    ['claims tampered after signing', () => tamperClaims(sign())],
    ['a non-canonical encoding of the right signature', () => nonCanonical(sign())],
    ['two parts only', () => sign().split('.').slice(0, 2).join('.')],
    ['a character outside base64url', () => `${sign()}=`],
    ['garbage', () => 'not.a.jwt'],
  ])('refuses a token %s', (_what, make) => {
    expect(verifyAccessJwt(make(), key, options)).toBeUndefined();
  });

  it('allows 5 s of clock skew on expiry, not 6', () => {
    const token = handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), exp: now - 4 });
    expect(verifyAccessJwt(token, key, options, now)).toBeDefined();
    expect(verifyAccessJwt(token, key, options, now + 2)).toBeUndefined();
  });
});

describe('AccessTokenVerifier (memo of accepted tokens)', () => {
  it('answers a second call from the memo, and refuses the entry once it expired', () => {
    const verifier = new AccessTokenVerifier(key, options);
    const token = handMade({ alg: 'HS256', typ: 'JWT' }, { ...goodClaims(), exp: now + 60 });
    const first = verifier.verify(token, now);
    expect(first).toMatchObject({ sub: 'u1' });
    expect(verifier.verify(token, now + 30)).toBe(first); // same object: no second verification
    expect(verifier.verify(token, now + 65)).toBeUndefined();
    expect(verifier.verify(token, now)).toBe(verifier.verify(token, now)); // verified afresh, memoised again
  });

  it('never answers a forged token from the memo of a genuine one', () => {
    const verifier = new AccessTokenVerifier(key, options);
    const genuine = sign();
    expect(verifier.verify(genuine)).toBeDefined();
    expect(verifier.verify(tamperClaims(genuine))).toBeUndefined();
    expect(verifier.verify(nonCanonical(genuine))).toBeUndefined();
    expect(verifier.verify(sign({}, { secret: otherKey }))).toBeUndefined();
  });

  it('keeps at most maxEntries tokens, dropping the oldest', () => {
    const verifier = new AccessTokenVerifier(key, options, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => sign({ sub }));
    const first = verifier.verify(a);
    verifier.verify(b);
    verifier.verify(c);
    expect(verifier.verify(a)).not.toBe(first); // verified again: it had been dropped
    expect(verifier.verify(a)).toEqual(first);
  });

  it('remembers nothing with maxEntries 0, and still verifies', () => {
    const verifier = new AccessTokenVerifier(key, options, 0);
    const token = sign();
    const first = verifier.verify(token);
    expect(first).toEqual(expect.objectContaining({ sub: expect.any(String) }));
    expect(verifier.verify(token)).not.toBe(first);
    expect(verifier.verify(tamperClaims(token))).toBeUndefined();
  });
});

function tamperClaims(token: string): string {
  const [h, , s] = token.split('.');
  return `${h}.${b64({ ...goodClaims(), sub: 'someone-else' })}.${s}`;
}

/** The last base64url character of a 32-byte MAC carries 2 unused bits: flip one, same bytes. */
function nonCanonical(token: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = token.at(-1)!;
  const swapped = alphabet[alphabet.indexOf(last) ^ 1];
  const forged = `${token.slice(0, -1)}${swapped}`;
  // Decodes to the same bytes: only the text differs.
  expect(Buffer.from(forged.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
  return forged;
}
