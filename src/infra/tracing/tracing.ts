import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { RedisInstrumentation } from '@opentelemetry/instrumentation-redis';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  SimpleSpanProcessor,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_REQUEST_ID, ATTR_TENANT_ID, REQUEST_ATTRIBUTES, requestTracing } from './request-span';

/**
 * OpenTelemetry tracing: HTTP server spans, MongoDB commands, Redis commands. Loaded by main.ts
 * ONLY when OTEL_EXPORTER_OTLP_ENDPOINT is set, and BEFORE the app's modules: instrumentations
 * patch `http`, `mongodb` and `@redis/client` as they are required, so anything required earlier
 * stays unpatched. Never imported statically by the app (unset, the SDK is not even loaded).
 */
export interface TracingOptions {
  /** Collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `{endpoint}/v1/traces`. */
  endpoint?: string;
  /** Test hook: export here (synchronously, e.g. an InMemorySpanExporter) instead of OTLP. */
  exporter?: SpanExporter;
  serviceName?: string;
}

export interface Tracing {
  /** Flushes pending spans and stops; called at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Copies the request id and tenant id onto every span started inside a request: from the request
 * context (the handler's spans: both ids), else from the parent span (spans of the guards, before
 * the tenant is verified: the request id).
 */
class RequestAttributesProcessor implements SpanProcessor {
  onStart(span: Span, parentContext = context.active()): void {
    const attributes = parentContext.getValue(REQUEST_ATTRIBUTES) as Record<string, string> | undefined;
    if (attributes) return void span.setAttributes(attributes);
    const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
    const requestId = parent?.attributes?.[ATTR_REQUEST_ID];
    if (typeof requestId === 'string') span.setAttribute(ATTR_REQUEST_ID, requestId);
    const tenantId = parent?.attributes?.[ATTR_TENANT_ID];
    if (typeof tenantId === 'string') span.setAttribute(ATTR_TENANT_ID, tenantId);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export function startTracing(options: TracingOptions): Tracing {
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: `${options.endpoint}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'multi-tenant-backend' }),
    spanProcessors: [
      new RequestAttributesProcessor(),
      options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // The server span of each request; its route and ids are set by request-span.ts. Outgoing
      // requests (the OTLP exporter's own) are not traced.
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
      // Commands only, never their values (documents, cached values may hold personal data).
      new MongoDBInstrumentation({ enhancedDatabaseReporting: false }),
      new RedisInstrumentation({ dbStatementSerializer: (command) => command }),
    ],
  });
  requestTracing.active = true;
  return {
    async shutdown() {
      requestTracing.active = false;
      unregister();
      await provider.shutdown();
    },
  };
}
