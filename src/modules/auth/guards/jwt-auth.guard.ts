import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../common/auth/principal';
import { IS_PUBLIC } from '../../../common/decorators/public.decorator';
import { AppError } from '../../../common/errors/app-error';
import { ApiKeyAuthService } from '../../../identity/api-keys/api-key-auth.service';
import { ApiKeysError } from '../../../identity/api-keys/api-keys.errors';
import { JwtStrategy } from '../jwt.strategy';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Global and default-deny: every route needs a verified bearer token or tenant API key unless it
 * says `@Public()`. On a public route a valid token is still read (register lets a superadmin
 * create another), but a missing or bad one is not an error there; an API key is not read at all
 * (no public route acts differently for a program). Whether a route admits keys is RolesGuard's
 * decision (`@Auth({ apiKey: true })`); this guard only says who is calling.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyAuthService,
    private readonly jwt: JwtStrategy,
  ) {}

  // Not async: a public route called without a token (the common case there) gets a plain `true`,
  // sparing Nest's guard runner an await per request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (isPublic && !request.headers.authorization) return true;
    return this.identify(request, isPublic);
  }

  private async identify(request: FastifyRequest, isPublic: boolean): Promise<boolean> {
    const apiKey = request.headers[API_KEY_HEADER];
    if (!isPublic && apiKey !== undefined) {
      // Both credentials: which one acts would be a guess (and a stolen key riding along a
      // person's token, or the reverse, must not pick the stronger). Refuse the request as
      // malformed before looking at either.
      if (request.headers.authorization !== undefined)
        throw new AppError(400, ApiKeysError.AMBIGUOUS_CREDENTIALS, 'Send either Authorization or X-API-Key, not both');
      this.accept(request, await this.apiKeys.authenticate(Array.isArray(apiKey) ? apiKey.join(',') : apiKey));
      return true;
    }
    const authorization = request.headers.authorization;
    let principal: Principal | undefined;
    try {
      principal = await this.jwt.authenticate(authorization);
    } catch (err) {
      // An error here came from the account or tenant check, not from a bad token: a database
      // outage must stay a 503, not turn into a 401 that logs clients out.
      if (isPublic) return true;
      throw err instanceof Error ? err : AppError.unauthenticated('Invalid or expired token');
    }
    if (!principal) {
      if (isPublic) return true;
      throw AppError.unauthenticated('Invalid or expired token');
    }
    this.accept(request, principal);
    return true;
  }

  /** The verified caller, and the tenant it acts in: its own, from the verified token or key record. */
  private accept(request: FastifyRequest, principal: Principal): void {
    request.principal = principal;
    request.tenantId = principal.tenantId;
  }
}
