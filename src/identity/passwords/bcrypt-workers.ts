import { Worker } from 'node:worker_threads';

/**
 * The niceness of the hashing threads (Linux: 0 to 19, higher yields more). At 19 a hashing thread
 * gets about 1.5 % of the CPU the event loop gets when both want the same core (CFS weights 15 and
 * 1024), and all the idle CPU otherwise: logins use what the requests leave. Bench scenario 4, one
 * run each: at nice 10, scenario 1's p99 during logins was 2.24x its p99 without; at 19, 1.45x;
 * logins alongside at 0.74 of the bcrypt bound in both.
 */
export const HASHING_NICE = 19;

/**
 * One hashing thread: bcrypt's synchronous calls, one job at a time, on the thread itself (the
 * async ones would go back to libuv's shared pool). It lowers its own priority first; where that
 * is not possible (no /proc, another OS) it runs at normal priority, as hashing on libuv's pool did.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.nice);
} catch {}
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash' ? bcrypt.hashSync(job.data, job.cost) : bcrypt.compareSync(job.data, job.hash);
    parentPort.postMessage({ ok: true, value });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
`;

type Job = { op: 'hash'; data: string; cost: number } | { op: 'compare'; data: string; hash: string };
type Reply = { ok: true; value: string | boolean } | { ok: false; message: string };

interface Pending {
  job: Job;
  resolve: (value: string | boolean) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  current?: Pending;
}

/**
 * bcrypt on dedicated threads of lower priority, `size` of them at most (BCRYPT_CONCURRENCY),
 * started on demand. Why not libuv's pool, where the `bcrypt` package's async calls run: its
 * threads compete with the event loop at the same priority, so a login storm on 2 cores pushed the
 * p99 of every other request up 2-3x (bench scenario 4), and they are shared with file system and
 * DNS work. Jobs beyond `size` wait in arrival order. A thread that dies fails its job and is
 * replaced on the next one. Idle threads do not keep the process alive.
 */
export class BcryptWorkers {
  private readonly threads: Thread[] = [];
  private readonly idle: Thread[] = [];
  private readonly waiting: Pending[] = [];
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly nice = HASHING_NICE,
  ) {}

  hash(data: string, cost: number): Promise<string> {
    return this.submit({ op: 'hash', data, cost }) as Promise<string>;
  }

  compare(data: string, hash: string): Promise<boolean> {
    return this.submit({ op: 'compare', data, hash }) as Promise<boolean>;
  }

  /** Stops every thread; jobs not finished fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.reject(new Error('bcrypt workers closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  /** Jobs waiting for a thread (diagnostics, tests). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Threads started (diagnostics, tests). */
  get started(): number {
    return this.threads.length;
  }

  private submit(job: Job): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('bcrypt workers closed'));
    return new Promise((resolve, reject) => {
      const pending = { job, resolve, reject };
      const thread = this.idle.pop() ?? (this.threads.length < this.size ? this.spawn() : undefined);
      if (thread) this.start(thread, pending);
      else this.waiting.push(pending);
    });
  }

  private start(thread: Thread, pending: Pending): void {
    thread.current = pending;
    thread.worker.ref();
    thread.worker.postMessage(pending.job);
  }

  private finish(thread: Thread): void {
    thread.current = undefined;
    const next = this.waiting.shift();
    if (next) return this.start(thread, next);
    thread.worker.unref();
    this.idle.push(thread);
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { bcrypt: require.resolve('bcrypt'), nice: this.nice },
    });
    const thread: Thread = { worker };
    this.threads.push(thread);
    worker.on('message', (reply: Reply) => {
      const pending = thread.current;
      if (!pending) return;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(new Error(reply.message));
      this.finish(thread);
    });
    const fail = (err: Error) => {
      this.drop(thread);
      thread.current?.reject(err);
      thread.current = undefined;
      // Its replacement takes the next waiting job.
      const next = !this.closed ? this.waiting.shift() : undefined;
      if (next) this.start(this.spawn(), next);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.threads.includes(thread)) fail(new Error(`bcrypt worker exited with code ${code}`));
    });
    return thread;
  }

  private drop(thread: Thread): void {
    const at = this.threads.indexOf(thread);
    if (at >= 0) this.threads.splice(at, 1);
    const idleAt = this.idle.indexOf(thread);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
  }
}
