import { type CallHandler, type ExecutionContext, Injectable, Logger, RequestMethod } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Observable, from, lastValueFrom } from 'rxjs';
import { actorId } from '../../common/auth/principal';
import { AUTH_ROLES } from '../../common/decorators/auth.decorator';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { RouteScopedInterceptor } from '../http/route-scoped-interceptors';
import { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, takesIdempotencyKey } from './idempotency.rule';
import { idempotencyRecordId, requestFingerprint } from './request-fingerprint';

/** Nest's HTTP_CODE_METADATA (`@HttpCode`); `@nestjs/common/constants` is not a public entry point. */
const HTTP_CODE_METADATA = '__httpCode__';
/** Nest's METHOD_METADATA (`@Get`, `@Post`...): the route's RequestMethod. */
const METHOD_METADATA = 'method';

/**
 * `Idempotency-Key` on create routes (IETF draft "The Idempotency-Key HTTP Header Field"): the
 * first request under a key runs and its response is stored; a retry with the same request gets
 * that response again without running the handler, another request under the key gets 422, and
 * a retry while the first still runs gets 409. Runs after the guards, so the key is scoped to the
 * verified principal and tenant, and before the validation pipe, so the fingerprint is of the
 * body as sent.
 */
@Injectable()
export class IdempotencyInterceptor implements RouteScopedInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  /**
   * Left out at boot (route-scoped-interceptors.ts) of the routes the rule can never select: not
   * a POST (nor ALL) route, not authenticated, or answering another status than 201. The request
   * is checked again below (the rule on the request's own method).
   */
  appliesTo(handler: (...args: never[]) => unknown): boolean {
    const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
    const routeMethod = method === RequestMethod.ALL || method === undefined ? 'POST' : RequestMethod[method];
    return takesIdempotencyKey({
      method: routeMethod,
      authenticated: this.reflector.get<unknown>(AUTH_ROLES, handler) !== undefined,
      successStatus: this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? 201,
    });
  }

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const raw = request.headers['idempotency-key'];
    if (raw === undefined) return next.handle();
    const handler = execution.getHandler();
    const successStatus = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? 201;
    const authenticated = this.reflector.get<unknown>(AUTH_ROLES, handler) !== undefined;
    if (!takesIdempotencyKey({ method: request.method, authenticated, successStatus }) || !request.principal) {
      return next.handle();
    }
    const key = Array.isArray(raw) ? raw.join(',') : raw;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw new AppError(
        400,
        ErrorCode.IDEMPOTENCY_KEY_INVALID,
        `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters without spaces`,
      );
    }
    // Per tenant and principal: a key is one client's retry token; shared across the users of a
    // tenant, one user's retry could be answered with another's response.
    const { principal } = request;
    const scope = `tenant:${request.tenantId ?? '-'}:principal:${actorId(principal)}`;
    const id = idempotencyRecordId(scope, key);
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const reply = http.getResponse<FastifyReply>();
    return from(this.run(id, fingerprint, successStatus, reply, () => lastValueFrom(next.handle())));
  }

  private async run(
    id: string,
    fingerprint: string,
    successStatus: number,
    reply: FastifyReply,
    handle: () => Promise<unknown>,
  ): Promise<unknown> {
    const outcome = await this.store.claim(id, fingerprint);
    switch (outcome.kind) {
      case 'mismatch':
        throw new AppError(
          422,
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          `This ${IDEMPOTENCY_KEY_HEADER} was already used with a different request; use a new key`,
        );
      case 'in-progress':
        throw new AppError(
          409,
          ErrorCode.IDEMPOTENCY_KEY_IN_USE,
          `A request with this ${IDEMPOTENCY_KEY_HEADER} is still running; retry shortly`,
          { headers: { 'Retry-After': '1' } },
        );
      case 'replay':
        // Every route the rule selects answers one fixed success status, the one stored.
        void reply.header('Idempotent-Replayed', 'true');
        return JSON.parse(outcome.body) as unknown;
      case 'claimed':
        break;
    }
    let result: unknown;
    try {
      result = await handle();
    } catch (err) {
      await this.store.release(id, outcome.claim).catch((releaseErr: unknown) => {
        // The claim then expires with its lease; until then retries get 409.
        this.logger.warn(`releasing an idempotency key failed (${(releaseErr as Error).name})`);
      });
      throw err;
    }
    try {
      await this.store.complete(id, outcome.claim, successStatus, JSON.stringify(result ?? null));
    } catch (err) {
      // The work is done and the client gets its response; a retry within the lease gets 409,
      // after it the request may run again (docs/stall-and-retry.md).
      this.logger.warn(`storing an idempotent response failed (${(err as Error).name})`);
    }
    return result;
  }
}
