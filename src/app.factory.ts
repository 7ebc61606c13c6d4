import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './infra/http/all-exceptions.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './infra/config/app-config';
import { clientErrorHandler } from './infra/http/client-error';
import { setupDocs } from './infra/http/docs';
import { registerArchiveBodyParser } from './infra/http/archive-body';
import { answerWrongMethodEarly } from './infra/http/early-method-check';
import { refuseFormBodiesOnJsonRoutes } from './infra/http/form-body';
import { registerJsonBodyParser } from './infra/http/json-body';
import { RouteIndex } from './infra/http/method-not-allowed';
import { genRequestId } from './infra/http/request-id';
import { installRouteScopedInterceptors } from './infra/http/route-scoped-interceptors';
import { registerSecurity } from './infra/http/security';
import { sendError } from './infra/http/send-error';
import { registerHttpMetrics } from './infra/metrics/http-metrics';
import { registerRequestSpanHook } from './infra/tracing/request-span';
import { enterRequestContext } from './infra/request-context/request-context.hook';
import { RequestContext } from './infra/request-context/request-context';
import { LifecycleService } from './infra/lifecycle/lifecycle.service';
import { AppError } from './common/errors/app-error';
import { ErrorCode } from './common/errors/error-code';
import { lazyRequestLoggerFactory } from './infra/logging/lazy-request-logger';
import { PinoNestLogger } from './infra/logging/logger';

/**
 * Builds the fully configured application (not listening). Used by main.ts and by the e2e tests,
 * so the tests exercise exactly what production runs.
 */
export async function createApp(
  config: AppConfig,
  logger: Logger,
  extraModules: Type[] = [],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    childLoggerFactory: lazyRequestLoggerFactory,
    genReqId: genRequestId,
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: config.nodeEnv === 'test',
    }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    // Our own hook below answers during shutdown, in the documented error shape.
    return503OnClosing: false,
    // Router-level errors (over-long path parameter, malformed URL) never reach Nest: answer
    // them in the documented shape too.
    frameworkErrors: (err: Error, request: FastifyRequest, reply: FastifyReply) => sendError(request, reply, err),
    // And what Node's HTTP parser refuses (bad request line or header, header overflow, timeout).
    clientErrorHandler,
  });
  const fastify: FastifyInstance = adapter.getInstance();
  const routes = new RouteIndex();
  routes.attach(fastify);
  // JSON (and the OAuth2 login form) only: Fastify would otherwise accept text/plain bodies as
  // strings, which the validation pipe would refuse with a misleading 422 instead of 415.
  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParser(adapter, fastify);
  refuseFormBodiesOnJsonRoutes(fastify);
  registerArchiveBodyParser(fastify);
  registerHttpMetrics(fastify);
  registerRequestSpanHook(fastify);

  // Set once Nest has built the app; read by the hooks below at request time.
  const started: { lifecycle?: LifecycleService } = {};
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!started.lifecycle?.isShuttingDown) return done();
    // Draining: new requests (on kept-alive connections) are refused and their connection closed.
    void reply.header('connection', 'close');
    sendError(
      request,
      reply,
      new AppError(503, ErrorCode.SERVICE_UNAVAILABLE, 'Shutting down; retry', {
        headers: { 'Retry-After': '1' },
      }),
    );
  });
  fastify.addHook('onSend', (request, reply, _payload, done) => {
    void reply.header('x-request-id', request.id);
    // In-flight requests finishing during a drain must not keep their connection alive.
    if (started.lifecycle?.isShuttingDown) void reply.header('connection', 'close');
    done();
  });
  // Before CORS: a non-preflight OPTIONS is answered here, not by @fastify/cors.
  answerWrongMethodEarly(fastify, routes);
  await registerSecurity(fastify, config);

  // Before app.init() builds the routes: global interceptors only where they apply.
  installRouteScopedInterceptors();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraModules), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  started.lifecycle = app.get(LifecycleService);
  // Before app.init() registers the routes: their hook enters the request context.
  enterRequestContext(fastify, app.get(RequestContext));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(routes));
  if (config.docsEnabled) setupDocs(app, fastify);
  await app.init();
  await fastify.ready();
  return app;
}
