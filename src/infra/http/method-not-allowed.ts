import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { FastifyInstance } from 'fastify';

/**
 * Fastify answers 404 for a known path with the wrong method. To answer 405 with `Allow`,
 * mirror every registered route into a side router and ask it, on a miss, which methods
 * the path does accept.
 */
export class RouteIndex {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });

  attach(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || this.router.hasRoute(method as HTTPMethod, route.url)) continue;
        this.router.on(method as HTTPMethod, route.url, () => undefined);
      }
    });
  }

  /** Methods that would match `path`, or [] when the path is unknown altogether. */
  allowedMethods(path: string): string[] {
    const allowed: string[] = [];
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      if (this.router.find(method, path)) allowed.push(method);
    }
    if (allowed.includes('GET')) allowed.push('HEAD');
    return allowed;
  }
}
