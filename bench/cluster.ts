import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';

/**
 * Multi-process run: node:cluster primary that forks BENCH_WORKERS copies of bench/server.js
 * (the production app plus bench routes), all listening on the same PORT; the primary hands
 * connections out round-robin. Tells its parent 'ready' once every worker listens; SIGTERM
 * stops the workers (each drains gracefully) and then itself.
 */
function main(): void {
  const count = Math.max(1, Number(process.env.BENCH_WORKERS ?? 2));
  cluster.setupPrimary({ exec: join(__dirname, 'server.js'), execArgv: process.execArgv });
  const workers: Worker[] = [];
  let ready = 0;
  let stopping = false;
  for (let i = 0; i < count; i++) {
    const worker = cluster.fork();
    workers.push(worker);
    worker.on('message', (message) => {
      if (message === 'ready' && ++ready === count) {
        process.send?.({ ready: true, pids: workers.map((w) => w.process.pid) });
      }
    });
    worker.on('exit', (code) => {
      if (!stopping) {
        console.error(`cluster worker ${worker.process.pid} exited with ${code}`);
        process.exit(1);
      }
    });
  }
  process.once('SIGTERM', () => {
    stopping = true;
    let left = workers.length;
    for (const worker of workers) {
      worker.once('exit', () => --left === 0 && process.exit(0));
      worker.process.kill('SIGTERM');
    }
  });
}

main();
