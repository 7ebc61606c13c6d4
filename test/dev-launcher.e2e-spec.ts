import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireBuiltServer, waitForStatus } from './support/real-server';
import { freePort } from './support/services';

const ROOT = resolve(__dirname, '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const LAUNCHER = join(ROOT, 'tools', 'dev', 'start.cjs');
const STOPPED_WITHIN_MS = 10000;

interface Launched {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Children seen while it ran; cleanup kills any that outlived it (a failed run leaves no orphan). */
  children: number[];
  cleanup(): void;
}

/**
 * `npm start`'s launcher as a user runs it: no MONGODB_URL (so it starts the embedded FerretDB),
 * its own ports, a throwaway working directory and DATA_DIR. MONGODB_URL is set empty, not left
 * out, so a developer's .env in the repository cannot point it elsewhere (empty means unset).
 */
function launch(ports: { ferret: number; app: number }): Launched {
  const dir = mkdtempSync(join(tmpdir(), 'mtb-launcher-'));
  const child = spawn(NODE, [LAUNCHER], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      MONGODB_URL: '',
      FERRETDB_PORT: `${ports.ferret}`,
      PORT: `${ports.app}`,
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const launched: Launched = {
    child,
    output: () => out,
    exited,
    children: [],
    cleanup: () => {
      const running = child.exitCode === null && child.signalCode === null;
      const orphans = [...launched.children, ...(running ? childPids(child.pid!) : [])];
      if (running) child.kill('SIGKILL');
      for (const pid of orphans.filter(isAlive)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return launched;
}

/** Linux: the pids whose parent is `pid`, read from /proc. */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return parentOf(readFileSync(`/proc/${name}/stat`, 'utf8')) === pid;
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

/** /proc/PID/stat is "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'. */
function parentOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Alive = present and not a zombie (a reparented zombie holds no port but still has a pid). */
function isAlive(pid: number): boolean {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return false;
  try {
    const stat = readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

async function waitFor<T>(probe: () => Promise<T> | T, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, fail) => setTimeout(() => fail(new Error(`${what} within ${ms} ms`)), ms).unref()),
  ]);
}

// Promise: stopping `npm start` stops everything it started. SIGTERM (or SIGHUP, SIGINT) to the launcher ends the app
// (gracefully) and the embedded FerretDB, frees PORT and FERRETDB_PORT, and the launcher exits
// with the app's code; and a FERRETDB_PORT someone else holds stops the start with a message
// naming it, instead of the app silently talking to that listener.
describe('dev launcher (tools/dev/start.cjs)', () => {
  let launched: Launched | undefined;
  let blocker: Server | undefined;

  beforeAll(() => requireBuiltServer());
  afterEach(async () => {
    launched?.cleanup();
    launched = undefined;
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    blocker = undefined;
  });

  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s stops the app and FerretDB, frees both ports, and exits with the app code',
    async (signal) => {
      const ports = { ferret: await freePort(), app: await freePort() };
      const running = launch(ports);
      launched = running;
      await waitForStatus(ports.app, '/health/ready', 200, 60000).catch((err: Error) => {
        throw new Error(`${err.message}\n${running.output()}`);
      });
      const pid = running.child.pid!;
      const children = childPids(pid);
      running.children.push(...children);
      expect(children).toHaveLength(2); // FerretDB and the app

      const signalled = Date.now();
      running.child.kill(signal);
      const exit = await timeout(running.exited, STOPPED_WITHIN_MS, 'the launcher did not exit');
      const exitMs = Date.now() - signalled;
      const alive = await waitFor(
        () => children.filter(isAlive),
        (left) => left.length === 0,
        3000,
      );
      const free = { ferret: await portIsFree(ports.ferret), app: await portIsFree(ports.app) };
      console.log(
        `dev launcher: ${signal} -> exit ${exit.code ?? exit.signal} in ${exitMs} ms; ` +
          `children alive ${alive.length}/${children.length}; FERRETDB_PORT free ${free.ferret}, PORT free ${free.app}`,
      );

      expect(running.output()).toContain(`[start] ${signal}: stopping`);
      expect(exit).toEqual({ code: 0, signal: null }); // the app drained and exited 0
      expect(alive).toEqual([]);
      expect(free).toEqual({ ferret: true, app: true });
    },
  );

  it('a taken FERRETDB_PORT stops the start with a message naming it, and nothing talks to that listener', async () => {
    const ports = { ferret: await freePort(), app: await freePort() };
    let connections = 0;
    blocker = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => blocker!.listen(ports.ferret, '127.0.0.1', done));

    const running = launch(ports);
    launched = running;
    const exit = await timeout(running.exited, STOPPED_WITHIN_MS, 'the launcher did not stop');
    console.log(`dev launcher: FERRETDB_PORT taken -> exit ${exit.code}, ${connections} connections to the holder`);

    expect(exit.code).not.toBe(0);
    expect(running.output()).toContain(`FERRETDB_PORT ${ports.ferret} is already in use`);
    expect(connections).toBe(0);
    expect(await portIsFree(ports.app)).toBe(true); // the app never started
  });
});
