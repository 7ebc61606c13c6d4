import { type LoadResult, errorSummary, load, seedTenant, startServer, startServices, table } from './lib/harness';

/**
 * `npm run bench:routing`: what the tenant data kit (a TenantModel handle resolved from the request
 * context through TenantConnectionProvider) costs against a singleton route doing the same work,
 * on the production build, load from this (second) process.
 * Rounds alternate between the two routes so machine noise hits both alike; the ratio compares
 * the medians of each route's rounds in this one run.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const svc = await startServices();
  const server = await startServer(svc, { BCRYPT_COST: '4' });
  try {
    const { token, projectId } = await seedTenant(server);
    const pairs: Array<[string, string, string]> = [
      ['resolve (no I/O)', '/bench/context/resolve', '/bench/singleton/resolve'],
      ['read one project', `/bench/context/projects/${projectId}`, `/bench/singleton/projects/${projectId}`],
    ];
    const rows: LoadResult[] = [];
    const summary: string[] = [];
    /** Every load run, warm-ups included: a ratio of failed requests (fast 401s, 503s) is no figure. */
    const all: LoadResult[] = [];
    for (const [label, viaContext, viaSingleton] of pairs) {
      all.push(await load('warm-up', server.url + viaContext, { token, seconds: 2, connections }));
      const ctx: LoadResult[] = [];
      const single: LoadResult[] = [];
      for (let i = 0; i < rounds; i++) {
        single.push(await load(`${label}: singleton`, server.url + viaSingleton, { token, seconds, connections }));
        ctx.push(await load(`${label}: tenant model handle`, server.url + viaContext, { token, seconds, connections }));
      }
      const median = (xs: LoadResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)];
      all.push(...single, ...ctx);
      const c = median(ctx);
      const s = median(single);
      rows.push(s, c);
      const diff = ((1 - c.rps / s.rps) * 100).toFixed(1);
      summary.push(
        `tenant routing (${label}): kit handle ${Math.round(c.rps)} req/s vs singleton ${Math.round(s.rps)} req/s = ${diff}% fewer`,
      );
    }
    console.log(`\n${table(rows)}\n`);
    for (const line of summary) console.log(line);
    console.log(
      `(${rounds} alternating rounds of ${seconds}s, ${connections} connections, medians; node ${process.version})`,
    );
    const failed = all.filter((r) => r.errors > 0);
    for (const r of failed) console.error(`FAILED ${r.name}: ${errorSummary(r)}`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    await svc.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
