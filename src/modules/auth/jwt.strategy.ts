import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ROLES, type Principal } from '../../common/auth/principal';
import { AppError } from '../../common/errors/app-error';
import { isObjectId } from '../../common/ids';
import { APP_CONFIG, type AppConfig } from '../../infra/config/app-config';
import { AuthStateService } from '../../identity/auth-state.service';
import { type AccessClaims, JWT_ALGORITHM, TokenService } from '../../identity/sessions/token.service';

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

/**
 * passport-jwt with the algorithm pinned (no `none`, no RS/HS confusion), issuer and audience
 * checked, and the key as a KeyObject. A valid signature is not enough: the claims must be an
 * access token's and the account and tenant must still be in good standing.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    tokens: TokenService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly authState: AuthStateService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: tokens.key as unknown as string, // jsonwebtoken takes a KeyObject; the typing lags
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: 5, maxAge: `${config.jwt.accessTtlSeconds + 5}s` },
    });
  }

  async validate(payload: unknown): Promise<Principal> {
    if (!isAccessClaims(payload)) throw AppError.unauthenticated('Not an access token');
    return this.authState.principalFor(payload);
  }
}
