import { type Server, load, startServer, startServices } from './lib/harness';
import { CpuMeter } from './lib/procfs';
import { seedTenant, seedUser } from './lib/seed';

/**
 * `npm run bench:pipeline`: the per-request cost of the app's pipeline in one short run, as rows
 * B1 (bare Fastify), B2 (the app's public `GET /`) and 1 (`GET /api/v1/auth/me`, cached) of
 * `npm run bench` measure it: app CPU µs per request, from /proc, over a measured window after a
 * warm-up. Each path is measured BENCH_PIPELINE_ROUNDS times (default 3) and the lowest figure is
 * kept (other load on a shared machine only ever adds). Writes no docs.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_PIPELINE_ROUNDS ?? 3);
/** Which rows to measure (all by default): e.g. BENCH_PIPELINE_ROWS=B2,1 skips the baseline. */
const ROWS = new Set((process.env.BENCH_PIPELINE_ROWS ?? 'B1,B2,1').split(','));

async function cpuPerRequest(server: Server, path: string, token?: string): Promise<string> {
  const url = server.url + path;
  await load('warm-up', url, { token, seconds: 1, connections: CONNECTIONS });
  const runs: Array<{ us: number; rps: number; errors: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    const meter = new CpuMeter({ app: [server.pid] }).begin();
    const r = await load(path, url, { token, seconds: SECONDS, connections: CONNECTIONS });
    const cpu = meter.end();
    // cpu.app is % of one core; per request: (cpu.app / 100) s per s / (req per s), in µs.
    runs.push({ us: (cpu.app / 100 / r.rps) * 1e6, rps: r.rps, errors: r.errors });
  }
  const best = runs.reduce((a, b) => (b.us < a.us ? b : a));
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const all = runs.map((r) => r.us.toFixed(1)).join(' / ');
  return `${best.us.toFixed(1)} µs/req app CPU (runs: ${all}), ${Math.round(best.rps)} req/s, ${errors} errors`;
}

async function main(): Promise<void> {
  const svc = await startServices();
  try {
    if (ROWS.has('B1')) {
      const hello = await startServer(svc, {}, { script: 'hello.js' });
      try {
        console.log(`B1 bare Fastify GET /: ${await cpuPerRequest(hello, '/')}`);
      } finally {
        await hello.stop();
      }
    }
    const server = await startServer(svc, { BCRYPT_COST: '4' });
    try {
      if (ROWS.has('B2')) console.log(`B2 app GET /: ${await cpuPerRequest(server, '/')}`);
      if (ROWS.has('1')) {
        const tenant = await seedTenant(server);
        const user = await seedUser(server, tenant.token);
        console.log(`1  GET /api/v1/auth/me: ${await cpuPerRequest(server, '/api/v1/auth/me', user.token)}`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await svc.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
