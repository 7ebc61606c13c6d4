import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createServer } from 'node:http';
import { httpRequest, requireBuiltServer, spawnServer, waitForStatus } from './support/real-server';
import { freePort } from './support/services';
import { testEnv } from './support/test-app';

const ROOT = resolve(__dirname, '..');
const CHILD = join(__dirname, 'support', 'tracing-child.cjs');

interface SpanOut {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}
interface Reply {
  status: number;
  requestId: string;
  body: Record<string, unknown>;
}
interface ChildOut {
  requests: { registered: Reply; login: Reply; me: Reply; project: Reply; tenantId: string };
  spans: SpanOut[];
  sdkLoaded: boolean;
  instrumented: boolean;
}

/** Runs the compiled app in its own Node process (see tracing-child.cjs) and returns what it printed. */
function runChild(mode: 'on' | 'off'): Promise<ChildOut> {
  requireBuiltServer();
  return new Promise((done, fail) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [CHILD, mode], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...testEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`tracing child exited ${code}: ${err}`));
      done(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildOut);
    });
  });
}

const SERVER = 1; // SpanKind.SERVER
const dbSystem = (s: SpanOut) => s.attributes['db.system.name'] ?? s.attributes['db.system'];

describe('OpenTelemetry tracing (real server process, in-memory exporter)', () => {
  it('records HTTP, MongoDB and Redis spans carrying the request id and tenant id', async () => {
    const { requests, spans } = await runChild('on');
    expect(requests.project).toEqual(expect.objectContaining({ status: 201 }));
    const tenantId = requests.tenantId;
    expect(tenantId).toEqual(expect.any(String));

    for (const reply of [requests.me, requests.project]) {
      const server = spans.find((s) => s.kind === SERVER && s.attributes['app.request_id'] === reply.requestId);
      expect(server).toEqual(
        expect.objectContaining({
          attributes: expect.objectContaining({ 'app.request_id': reply.requestId, 'app.tenant_id': tenantId }),
        }),
      );
      const inRequest = spans.filter((s) => s.traceId === server?.traceId && s !== server);
      const ids = { 'app.request_id': reply.requestId, 'app.tenant_id': tenantId };
      // Every span of the request carries its request id (those of the guards run before the
      // tenant is verified); the handler's MongoDB spans carry the tenant id too.
      const redis = inRequest.filter((s) => dbSystem(s) === 'redis');
      expect(redis.length).toBeGreaterThan(0);
      for (const s of inRequest) expect(s.attributes['app.request_id']).toBe(reply.requestId);
      if (reply === requests.project) {
        expect(inRequest.filter((s) => dbSystem(s) === 'mongodb')).toContainEqual(
          expect.objectContaining({ name: expect.stringMatching(/insert/), attributes: expect.objectContaining(ids) }),
        );
      }
    }
    // No span holds a value: Redis and MongoDB spans name their command only.
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain('Traced project');
    expect(everything).not.toContain(requests.login.body.access_token as string);
  });

  it('is off, and loads no SDK, when tracing is not started', async () => {
    const out = await runChild('off');
    expect(out.requests.project.status).toBe(201);
    expect({ sdkLoaded: out.sdkLoaded, instrumented: out.instrumented, spans: out.spans }).toEqual({
      sdkLoaded: false,
      instrumented: false,
      spans: [],
    });
  });

  it('dist/main.js with OTEL_EXPORTER_OTLP_ENDPOINT exports its spans over OTLP/HTTP (flushed at SIGTERM)', async () => {
    // A stand-in collector: records what reaches POST /v1/traces.
    const received: Array<{ url: string; type: string; bytes: number }> = [];
    const collector = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ url: req.url ?? '', type: req.headers['content-type'] ?? '', bytes });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const address = collector.address();
    const collectorPort = typeof address === 'object' && address ? address.port : 0;
    const port = await freePort();
    const server = spawnServer(
      testEnv({ PORT: `${port}`, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collectorPort}`, LOG_LEVEL: 'info' }),
    );
    try {
      await waitForStatus(port, '/health/ready', 200, 30000);
      expect((await httpRequest(port, { path: '/health' })).statusCode).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual(expect.objectContaining({ code: 0 }));
      expect(server.stdout()).toMatch(/tracing on \(OpenTelemetry, OTLP\/HTTP\)/);
      expect(received).toContainEqual({
        url: '/v1/traces',
        type: expect.stringMatching(/protobuf|json/),
        bytes: expect.any(Number),
      });
      expect(received.every((r) => r.bytes > 0)).toBe(true);
    } finally {
      server.kill();
      collector.close();
    }
  });
});
