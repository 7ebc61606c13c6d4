import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, load, startServer, startServices } from './lib/harness';
import { seedTenant, seedUser } from './lib/seed';

/**
 * `npm run bench:profile`: a V8 CPU profile of the server (its main thread) over a measured window
 * of scenario 1 (or BENCH_PROFILE_PATH=root|project|list), then a summary: self time by package, top
 * functions by self time, inclusive time of selected frames. Load from this process, as in
 * `npm run bench`.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/dist-bench/src/')) return 'app (src/)';
  if (url.includes('/dist-bench/bench/')) return 'bench routes';
  return url;
}

function frameKey(f: CallFrame): string {
  const file = f.url ? f.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist-bench\//, '') : '';
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
}

export function summarize(profile: CpuProfile, top = 30): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const selfByKey = new Map<string, number>();
  const selfByPkg = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    selfByKey.set(frameKey(f), (selfByKey.get(frameKey(f)) ?? 0) + t);
    const pkg = packageOf(f.url, f.functionName);
    selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + t);
  }

  // Inclusive time per function, counting a recursive function once per stack.
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    let t = self.get(id) ?? 0;
    const key = frameKey(node.callFrame);
    const first = !onStack.has(key);
    if (first) onStack.add(key);
    for (const child of node.children ?? []) t += walk(child, onStack);
    if (first) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
    return t;
  };
  walk(profile.nodes[0].id, new Set());

  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)}%`;
  const lines: string[] = [];
  lines.push(
    `main thread: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)}%); percentages are of busy time`,
  );
  lines.push('', '| self time by package | % |', '|---|---:|');
  for (const [pkg, t] of [...selfByPkg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    lines.push(`| ${pkg} | ${pct(t)} |`);
  }
  lines.push('', `| top ${top} functions by self time | % |`, '|---|---:|');
  for (const [key, t] of [...selfByKey.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| \`${key}\` | ${pct(t)} |`);
  }
  const interesting =
    /^(canActivate|intercept|validate|principalFor|profile|read|status|get|bounded|verify|sendCommand|handleRequest|authenticate|JwtVerifier|parseHeaders)\b/;
  lines.push('', '| inclusive time, selected app/library frames | % |', '|---|---:|');
  for (const [key, t] of [...inclusive.entries()]
    .filter(([k]) => interesting.test(k) && !k.startsWith('get (native'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)) {
    lines.push(`| \`${key}\` | ${pct(t)} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const which = process.env.BENCH_PROFILE_PATH ?? 'me';
  const file = join(mkdtempSync(join(tmpdir(), 'bench-cpuprof-')), `${which}.cpuprofile`);
  const svc = await startServices();
  const server = await startServer(svc, { BCRYPT_COST: '4' });
  try {
    const tenant = await seedTenant(server);
    const user = await seedUser(server, tenant.token);
    const paths: Record<string, string> = {
      root: '/',
      project: `/api/v1/projects/${tenant.projectId}`,
      list: '/api/v1/projects?limit=20',
      me: '/api/v1/auth/me',
    };
    const path = paths[which] ?? paths.me;
    // The public route is driven without a token (a token there is verified, as on any route).
    const token = which === 'root' ? undefined : user.token;
    await load('warm-up', server.url + path, { token, seconds: 3, connections });
    // Only the measured window is profiled (not boot, seeding or warm-up).
    await api(server, 'GET', '/bench/profile/start');
    const r = await load(path, server.url + path, { token, seconds, connections });
    await api(server, 'GET', `/bench/profile/stop?file=${encodeURIComponent(file)}`);
    console.log(
      `GET ${path}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors (profiler on, 250 us sampling)`,
    );
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await server.stop();
    await svc.stop();
  }
  console.log(`profile: ${file}\n`);
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
