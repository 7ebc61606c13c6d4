import type { NestInterceptor } from '@nestjs/common';
import { InterceptorsContextCreator } from '@nestjs/core/interceptors/index.js';

/**
 * A global interceptor that can tell, from a route's handler and controller alone (at boot, once
 * per route), that it has nothing to do on that route: the Idempotency-Key interceptor on anything
 * but a create route.
 */
export interface RouteScopedInterceptor extends NestInterceptor {
  appliesTo(handler: (...args: never[]) => unknown, controller: object): boolean;
}

function isRouteScoped(interceptor: NestInterceptor): interceptor is RouteScopedInterceptor {
  return typeof (interceptor as Partial<RouteScopedInterceptor>).appliesTo === 'function';
}

const PATCHED = Symbol.for('mt-backend.route-scoped-interceptors');

/**
 * Leaves a global interceptor out of the routes it says it does not apply to. Nest gives every
 * route every global interceptor, and any interceptor at all puts the route on its rxjs path
 * (a ReplaySubject, defer/mergeAll and an AsyncResource per interceptor, lastValueFrom): 14 µs of
 * the 48 µs of CPU of the public `GET /` (docs/benchmarks.md, B2), even when the interceptor just
 * calls `next.handle()`. Nest builds each route's interceptor list once, at `app.init()`, through
 * `InterceptorsContextCreator.create`: that list is filtered here, so a route whose interceptors
 * all say no runs none, exactly as if none were registered. Installed once per process (the e2e
 * suites build several apps in one); boot fails loudly if a Nest upgrade moved the method.
 */
export function installRouteScopedInterceptors(): void {
  const proto = InterceptorsContextCreator.prototype as unknown as Record<PropertyKey, unknown>;
  if (proto[PATCHED]) return;
  const create = proto.create;
  if (typeof create !== 'function') throw new Error('@nestjs/core: InterceptorsContextCreator.create is gone');
  const original = create as (this: unknown, ...args: unknown[]) => NestInterceptor[];
  proto.create = function (this: unknown, ...args: unknown[]): NestInterceptor[] {
    const interceptors = original.apply(this, args);
    const [instance, callback] = args as [object | undefined, ((...a: never[]) => unknown) | undefined];
    if (!instance || !callback) return interceptors;
    return interceptors.filter((i) => !isRouteScoped(i) || i.appliesTo(callback, instance.constructor));
  };
  proto[PATCHED] = true;
}
