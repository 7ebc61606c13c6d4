import { applyDecorators } from '@nestjs/common';
import { routeFlag } from './route-flag.decorator';
import { ApiConsumes } from '@nestjs/swagger';

/** Fastify route config flag read by the HTTP layer (infra/http/form-body.ts). */
export const ACCEPTS_FORM = 'acceptsForm';

/**
 * The route takes an `application/x-www-form-urlencoded` body as well as JSON (the OAuth2 password
 * form). Every other route answers such a body with 415, as its document lists only JSON: the
 * flag and the OpenAPI `consumes` come from this one decorator, so they cannot disagree.
 */
export function AcceptsForm(): MethodDecorator {
  return applyDecorators(routeFlag(ACCEPTS_FORM), ApiConsumes('application/x-www-form-urlencoded', 'application/json'));
}
