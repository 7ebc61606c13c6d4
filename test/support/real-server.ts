import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Response as InjectResponse } from 'light-my-request';

const ROOT = resolve(__dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
export const MAIN_JS = join(ROOT, 'dist', 'main.js');

/** Specs that run the compiled server need `npm run build` first (`npm run check` does it). */
export function requireBuiltServer(): void {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` before the e2e suite`);
}

export interface ServerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exits, with how long after spawn it did. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
  /** Kills it (by its own pid) if it is still running. */
  kill(): void;
}

/**
 * Spawns the real server entry (dist/main.js) on Node 24 with exactly `env` (nothing inherited,
 * so no stray NODE_OPTIONS or E2E variables), in an empty working directory (no `.env` read).
 */
export function spawnServer(env: Record<string, string | undefined>): ServerProcess {
  requireBuiltServer();
  const started = Date.now();
  const cwd = mkdtempSync(join(tmpdir(), 'mtb-server-'));
  const child = spawn(NODE, [MAIN_JS], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>((done) => {
    child.once('exit', (code, signal) => {
      rmSync(cwd, { recursive: true, force: true });
      done({ code, signal, afterMs: Date.now() - started });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** A real HTTP response, shaped like light-my-request's where expectErrorBody reads it. */
export interface HttpResult {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export function asInjectResponse(res: HttpResult): InjectResponse {
  return res as unknown as InjectResponse;
}

/** One request over real TCP; rejects with the socket error (ECONNREFUSED, ECONNRESET...). */
export function httpRequest(
  port: number,
  options: { method?: string; path: string; json?: unknown; agent?: Agent | false; headers?: Record<string, string> },
): Promise<HttpResult> {
  const payload = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: options.agent,
        headers: {
          ...options.headers,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', fail);
        res.on('end', () =>
          done({ statusCode: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** Polls GET `path` until it answers `status`; returns the milliseconds it took. */
export async function waitForStatus(port: number, path: string, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await httpRequest(port, { path, agent: false });
      if (res.statusCode === status) return Date.now() - started;
      last = `${res.statusCode} ${res.body}`;
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`GET ${path} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/**
 * Parses the HTTP/1.1 responses read from a raw socket (decoded as latin1, so one char = one byte).
 * For exchanges `http.request` cannot make, such as a request pipelined behind one in flight.
 */
export function parseRawResponses(raw: string): HttpResult[] {
  const results: HttpResult[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: IncomingHttpHeaders = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    results.push({ statusCode: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return results;
}
