/**
 * Where `@RouteConfig()` of @nestjs/platform-fastify keeps a handler's Fastify route config (not
 * exported by the package; `route-flag.decorator.spec.ts` fails if an upgrade moves it).
 */
export const FASTIFY_ROUTE_CONFIG = '__fastify_route_config__';

/**
 * Sets `flag: true` in the handler's Fastify route config (`request.routeOptions.config`, and the
 * `config` an onRoute hook sees), merged with what other decorators set there: `@RouteConfig()`
 * replaces the whole object, so two flags on one handler would otherwise keep only one.
 */
export function routeFlag(flag: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG, handler) as Record<string, unknown> | undefined) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG, { ...existing, [flag]: true }, handler);
    return descriptor;
  };
}
