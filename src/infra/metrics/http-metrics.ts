import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './metrics';

/** The route label of a request no route matched (404s, probes): one value, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * One histogram observe per request, after the response is sent. The label is the route TEMPLATE
 * (`/api/v1/projects/:project_id`), never the URL: ids in URLs would make the series unbounded.
 */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
