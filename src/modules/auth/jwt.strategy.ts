import { Inject, Injectable } from '@nestjs/common';
import { ROLES, type Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { isObjectId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AuthStateService } from '../../identity/auth-state.service';
import { AccessTokenVerifier } from '../../identity/sessions/access-token-verifier';
import { type AccessClaims, TokenService } from '../../identity/sessions/token.service';

function isAccessClaims(payload: unknown): payload is AccessClaims {
  const p = payload as Partial<AccessClaims> | null;
  return (
    !!p &&
    p.typ === 'access' &&
    isObjectId(p.sub) &&
    (p.tid === undefined || isObjectId(p.tid)) &&
    typeof p.role === 'string' &&
    (ROLES as readonly string[]).includes(p.role) &&
    (p.role === 'superadmin') === (p.tid === undefined) &&
    Number.isInteger(p.ver) &&
    isObjectId(p.sid)
  );
}

/** `Bearer <token>` as passport-jwt read it: scheme case-insensitive, the first word after it. */
const AUTH_HEADER = /(\S+)\s+(\S+)/;

export function bearerToken(header: string | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = AUTH_HEADER.exec(header);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : undefined;
}

/**
 * The bearer token check (HS256 pinned: no `none`, no RS/HS confusion; issuer, audience, expiry
 * and age checked; the key a KeyObject built once), without passport: passport's `authenticate`
 * was 17.5% of the CPU of a cached GET /auth/me (docs/benchmarks.md). A valid signature is not
 * enough: the claims must be an access token's and the account and tenant must still be in good
 * standing.
 */
@Injectable()
export class JwtStrategy {
  private readonly verifier: AccessTokenVerifier;

  constructor(
    tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly authState: AuthStateService,
  ) {
    this.verifier = new AccessTokenVerifier(
      tokens.key,
      {
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        clockToleranceSeconds: 5,
        maxAgeSeconds: config.jwt.accessTtlSeconds + 5,
      },
      config.accessTokenMemoEntries,
    );
  }

  /**
   * The caller behind an Authorization header; undefined when it holds no valid token. Throws
   * when the token is valid but its account or tenant refuse it (401/403), or when that cannot be
   * checked (503: a database outage must not turn into a 401 that logs clients out).
   */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    const token = bearerToken(header);
    const claims = token === undefined ? undefined : this.verifier.verify(token);
    if (!claims) return undefined;
    if (!isAccessClaims(claims)) throw AppError.unauthenticated('Not an access token');
    return this.authState.principalFor(claims);
  }
}
