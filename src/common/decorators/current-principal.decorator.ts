import { type ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type Principal, type UserPrincipal, asUser } from '../auth/principal';
import { AppError } from '../errors/app-error';

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw AppError.unauthenticated();
  return principal;
}

/** The verified caller of an `@Auth()` route: a person or, on routes that admit keys, an API key. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context),
);

/**
 * The verified person calling a route for persons only (profile, sessions, password). Such a route
 * does not admit API keys, so RolesGuard has refused them already; `asUser` is the second lock.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserPrincipal =>
  asUser(principalOf(context)),
);
