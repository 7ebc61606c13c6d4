import { dirname } from 'node:path';
import type * as Mongo from 'mongodb';

/**
 * Baseline: the raw MongoDB driver (the copy Mongoose bundles) doing what the DB-bound scenarios
 * do, in its own process, with the same number of operations in flight as the HTTP load has
 * connections: `read` = findOne by _id on a tenant's projects collection, `write` = insertOne of
 * a project-shaped document. Forked by bench/run.ts; parameters as JSON in argv[2]; the result
 * goes back over IPC.
 */
export interface DriverJob {
  url: string;
  op: 'read' | 'write';
  /**
   * Tenant databases and a project id in each; operations rotate over them (one, or many tenants).
   * `url`: the cluster holding that database, when not `url` above (tenants spread over clusters).
   */
  targets: Array<{ db: string; id: string; url?: string }>;
  /** Creator id stored in inserted documents (write). */
  createdBy: string;
  concurrency: number;
  seconds: number;
  maxPoolSize: number;
}

export interface DriverResult {
  ops: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

// The `mongodb` package Mongoose resolves (not whatever a top-level import would find).
const mongoPath = require.resolve('mongodb', { paths: [dirname(require.resolve('mongoose'))] });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MongoClient, ObjectId } = require(mongoPath) as typeof Mongo;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function run(job: DriverJob): Promise<DriverResult> {
  // One client (one pool of maxPoolSize) per cluster, as the app holds one pool per cluster.
  const clients = new Map<string, Mongo.MongoClient>();
  for (const url of new Set([job.url, ...job.targets.map((t) => t.url ?? job.url)]))
    clients.set(url, new MongoClient(url, { maxPoolSize: job.maxPoolSize, serverSelectionTimeoutMS: 5000 }));
  await Promise.all([...clients.values()].map((c) => c.connect()));
  try {
    const targets = job.targets.map((t) => ({
      projects: clients
        .get(t.url ?? job.url)!
        .db(t.db)
        .collection('projects'),
      id: new ObjectId(t.id),
    }));
    const createdBy = new ObjectId(job.createdBy);
    let n = 0;
    const once = async (): Promise<void> => {
      const { projects, id } = targets[n++ % targets.length];
      if (job.op === 'read') {
        if (!(await projects.findOne({ _id: id }))) throw new Error('project not found');
      } else {
        const now = new Date();
        await projects.insertOne({
          name: 'bench',
          description: null,
          created_by: createdBy,
          created_at: now,
          updated_at: now,
          __v: 0,
        });
      }
    };
    // Warm up (pool opened at the concurrency used, every target touched once), then measure.
    await Promise.all(Array.from({ length: job.concurrency }, () => once()));
    for (let i = 0; i < targets.length; i += job.concurrency) {
      await Promise.all(Array.from({ length: Math.min(job.concurrency, targets.length - i) }, () => once()));
    }
    const latencies: number[] = [];
    let errors = 0;
    const started = process.hrtime.bigint();
    const deadline = Date.now() + job.seconds * 1000;
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (Date.now() < deadline) {
          const t0 = process.hrtime.bigint();
          try {
            await once();
          } catch {
            errors++;
          }
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const sorted = Float64Array.from(latencies).sort();
    return {
      ops: latencies.length,
      seconds,
      perSecond: latencies.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      errors,
    };
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
}

if (require.main === module) {
  // The job arrives over IPC: with thousands of tenants it is too large for argv (E2BIG).
  process.once('message', (job: DriverJob) => {
    run(job)
      .then((result) => process.send?.(result, () => process.exit(0)))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  });
}
