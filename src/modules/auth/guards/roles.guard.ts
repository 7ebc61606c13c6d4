import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../common/auth/principal';
import { AUTH_API_KEY, AUTH_ROLES } from '../../../common/decorators/auth.decorator';
import { IS_PUBLIC } from '../../../common/decorators/public.decorator';
import { AppError } from '../../../common/errors/app-error';
import { ApiKeysError } from '../../../identity/api-keys/api-keys.errors';

/**
 * Runs after JwtAuthGuard. Fails closed: a non-public route without `@Auth(...)` on its handler
 * is refused (and logged as a programming error) rather than open to every role; an API key is
 * refused on every route that did not opt in with `@Auth({ apiKey: true })`.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const roles = this.reflector.get<Role[] | undefined>(AUTH_ROLES, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!roles) {
      this.logger.error(`route ${request.method} ${request.routeOptions.url} has neither @Public() nor @Auth()`);
      throw AppError.forbidden();
    }
    const principal = request.principal;
    if (!principal) throw AppError.unauthenticated();
    if (principal.kind === 'api_key' && this.reflector.get<boolean>(AUTH_API_KEY, context.getHandler()) !== true)
      throw AppError.forbidden('API keys cannot use this route', ApiKeysError.API_KEY_NOT_ALLOWED);
    if (!roles.includes(principal.role)) throw AppError.forbidden();
    return true;
  }
}
