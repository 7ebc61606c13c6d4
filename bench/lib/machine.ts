import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    nproc: cpus().length,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  };
}

export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

interface ProcSample {
  comm: string;
  ppid: number;
  cpu: number;
}

function sampleAll(): Map<number, ProcSample> {
  const out = new Map<number, ProcSample>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      let comm = stat.slice(open + 1, close);
      try {
        // Name processes by command and script (node .../jest, node .../tsc...), not thread names.
        const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (cmd.length > 0) {
          const script = cmd.find((a, i) => i > 0 && !a.startsWith('-'));
          const short = (x: string) => x.split('/').slice(-2).join('/');
          comm = `${short(cmd[0])}${script ? ` ${short(script)}` : ''}`;
        }
      } catch {
        // gone
      }
      out.set(Number(entry), { comm, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * What else used the CPU while the bench ran (other engineers' test suites...): samples every
 * process every 2 s and reports the CPU seconds of those that are not this process or its
 * descendants. Processes born and gone between two samples are missed.
 */
export class OtherLoadMonitor {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, ProcSample>();
  private readonly ours = new Set<number>([process.pid]);
  private timer: NodeJS.Timeout | undefined;
  private started = 0;

  start(): this {
    this.started = performance.now();
    const initial = sampleAll();
    for (const [pid, s] of initial) this.first.set(pid, s.cpu);
    this.record(initial);
    this.timer = setInterval(() => this.record(sampleAll()), 2000);
    this.timer.unref();
    return this;
  }

  private record(sample: Map<number, ProcSample>): void {
    for (const [pid, s] of sample) {
      if (!this.first.has(pid)) this.first.set(pid, 0); // born during the run
      this.last.set(pid, s);
    }
    // Descendants of this process (servers, FerretDB, Redis, cluster workers, baselines).
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, s] of sample) {
        if (!this.ours.has(pid) && this.ours.has(s.ppid)) {
          this.ours.add(pid);
          grew = true;
        }
      }
    }
  }

  /** CPU seconds used by other processes, total and the top consumers by command. */
  stop(): { wallSeconds: number; cpuSeconds: number; top: Array<{ comm: string; cpuSeconds: number }> } {
    if (this.timer) clearInterval(this.timer);
    this.record(sampleAll());
    const byComm = new Map<string, number>();
    let total = 0;
    for (const [pid, s] of this.last) {
      if (this.ours.has(pid) || pid === 1) continue;
      const used = s.cpu - (this.first.get(pid) ?? 0);
      if (used <= 0.05) continue;
      total += used;
      byComm.set(s.comm, (byComm.get(s.comm) ?? 0) + used);
    }
    const top = [...byComm.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([comm, cpuSeconds]) => ({ comm, cpuSeconds }));
    return { wallSeconds: (performance.now() - this.started) / 1000, cpuSeconds: total, top };
  }
}
