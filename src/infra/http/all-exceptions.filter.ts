import { type ArgumentsHost, Catch, type ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { RouteIndex } from './method-not-allowed';
import { sendError } from './send-error';

/** The single place where exceptions become HTTP responses (see normalizeError for the mapping). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly routes: RouteIndex) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendError(request, reply, this.unmatchedRoute(exception, request) ?? exception);
  }

  /** Nest's not-found handler throws NotFoundException for unknown routes: tell 404 from 405. */
  private unmatchedRoute(exception: unknown, request: FastifyRequest): AppError | undefined {
    if (!(exception instanceof NotFoundException) || request.routeOptions.url !== undefined) return undefined;
    const path = request.url.split('?')[0];
    const allowed = this.routes.allowedMethods(path);
    if (allowed.length === 0) return new AppError(404, ErrorCode.NOT_FOUND, `No route ${request.method} ${path}`);
    return new AppError(405, ErrorCode.METHOD_NOT_ALLOWED, `Method ${request.method} not allowed on ${path}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}
