import { routeFlag } from '../../common/decorators/route-flag.decorator';

/** Fastify route config flag read at route registration (request-context.hook.ts). */
export const SKIP_REQUEST_CONTEXT = 'skipRequestContext';

/**
 * For handlers that never touch a tenant database (liveness, welcome): skips entering the
 * AsyncLocalStorage context. A tenant repository used under it fails loudly (no tenant), never
 * silently on the wrong tenant.
 */
export const SkipRequestContext = (): MethodDecorator => routeFlag(SKIP_REQUEST_CONTEXT);
