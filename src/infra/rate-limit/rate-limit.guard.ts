import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RATE_LIMIT } from './rate-limit.decorator';
import type { RateLimitName } from './rate-limit.types';
import { RateLimiterService } from './rate-limiter.service';

/** Applies `@RateLimitPerIp(...)`. `request.ip` is the socket address unless TRUST_PROXY says otherwise. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiterService,
  ) {}

  // Not async: on the routes without a limit (nearly all) a plain `true` spares Nest's guard
  // runner an await per request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const name = this.reflector.get<RateLimitName | undefined>(RATE_LIMIT, context.getHandler());
    if (!name) return true;
    return this.limiter.consume(name, context.switchToHttp().getRequest<FastifyRequest>().ip).then(() => true);
  }
}
