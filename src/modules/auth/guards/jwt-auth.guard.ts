import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../common/auth/principal';
import { IS_PUBLIC } from '../../../common/decorators/public.decorator';
import { AppError } from '../../../common/errors/app-error';

/**
 * Global and default-deny: every route needs a verified bearer token unless it says `@Public()`.
 * On a public route a valid token is still read (register lets a superadmin create another), but
 * a missing or bad one is not an error there.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (isPublic && !request.headers.authorization) return true;
    try {
      await super.canActivate(context);
    } catch (err) {
      if (isPublic) return true;
      throw err;
    }
    return true;
  }

  override handleRequest<T = Principal>(
    err: unknown,
    principal: T | false,
    _info: unknown,
    context: ExecutionContext,
  ): T {
    // An error here came from validate() (account or tenant lookup), not from a bad token: a
    // database outage must stay a 503, not turn into a 401 that logs clients out.
    if (err) throw err instanceof Error ? err : AppError.unauthenticated('Invalid or expired token');
    if (!principal) throw AppError.unauthenticated('Invalid or expired token');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const p = principal as unknown as Principal;
    request.principal = p;
    request.tenantId = p.tenantId;
    return principal;
  }
}
