import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Linux /proc readings about the processes under test (the bench targets Linux only). */

/** Resident memory of a process in KiB (VmRSS from /proc/<pid>/status). */
export function vmRssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux this runs on

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may contain spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds of a process and its threads' children: here, a process and the pids given. */
export function cpuSecondsOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // exited
    }
  }
  return total;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/**
 * Established TCP connections from the given processes to `remotePort` on this host, from
 * /proc/net/tcp{,6} matched against each process's socket inodes: how many MongoDB
 * connections the app really holds, whatever the number of tenant databases.
 */
export function tcpConnectionsTo(pids: number[], remotePort: number): number {
  const inodes = new Set<string>();
  for (const pid of pids) for (const inode of socketInodes(pid)) inodes.add(inode);
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const port = parseInt(cols[2].split(':')[1], 16);
      if (port === remotePort && cols[3] === '01' && inodes.has(cols[9])) count++;
    }
  }
  return count;
}

/** Busy and steal CPU seconds of the whole machine, all cores (from /proc/stat). */
function machineCpu(): { busy: number; steal: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const busy = f[0] + f[1] + f[2] + f[5] + f[6];
  return { busy: busy / CLOCK_TICKS, steal: f[7] / CLOCK_TICKS };
}

/**
 * Samples CPU use of named processes over an interval: begin() then end() -> % of one core each,
 * plus `loader` (this process: autocannon), `other` (everything else on the machine: other
 * engineers' test suites...) and `steal` (the hypervisor).
 */
export class CpuMeter {
  private start = new Map<string, number>();
  private t0 = 0;
  private self0: NodeJS.CpuUsage = process.cpuUsage();
  private machine0 = { busy: 0, steal: 0 };

  constructor(private readonly pids: Record<string, number[]>) {}

  begin(): this {
    this.t0 = performance.now();
    this.self0 = process.cpuUsage();
    this.machine0 = machineCpu();
    for (const [name, pids] of Object.entries(this.pids)) this.start.set(name, cpuSecondsOf(pids));
    return this;
  }

  end(): Record<string, number> {
    const wall = (performance.now() - this.t0) / 1000;
    const out: Record<string, number> = {};
    let ours = 0;
    for (const [name, pids] of Object.entries(this.pids)) {
      out[name] = (100 * (cpuSecondsOf(pids) - (this.start.get(name) ?? 0))) / wall;
      ours += out[name];
    }
    const self = process.cpuUsage(this.self0);
    out.loader = (self.user + self.system) / 1e4 / wall;
    ours += out.loader;
    const machine = machineCpu();
    out.other = Math.max(0, (100 * (machine.busy - this.machine0.busy)) / wall - ours);
    out.steal = (100 * (machine.steal - this.machine0.steal)) / wall;
    return out;
  }
}
