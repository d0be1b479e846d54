import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Linux /proc: CPU time of process trees (the app processes of each stack), other busy work. */

export interface ProcSample {
  ppid: number;
  /** utime + stime, in clock ticks (100 per second on Linux). */
  ticks: number;
}

export const TICKS_PER_SECOND = 100;
export const hasProc = (): boolean => existsSync('/proc/self/stat');

export function readProcs(): Map<number, ProcSample> {
  const out = new Map<number, ProcSample>();
  if (!hasProc()) return out;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may contain spaces) start after the last ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Whether `pid` is `root` or one of its descendants. */
export function isInTree(procs: Map<number, ProcSample>, root: number, pid: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 50; hops++) {
    if (p === root) return true;
    p = procs.get(p)?.ppid ?? 0;
  }
  return false;
}

/** CPU ticks used so far by `root` and every live descendant (threads included). */
export function treeTicks(root: number): { ticks: number; pids: number[] } {
  const procs = readProcs();
  let ticks = 0;
  const pids: number[] = [];
  for (const [pid, s] of procs) {
    if (isInTree(procs, root, pid)) {
      ticks += s.ticks;
      pids.push(pid);
    }
  }
  return { ticks, pids };
}

/**
 * Other work on the machine: processes outside `ours`' process tree that used at least 20 % of
 * a core over one second (empty without /proc).
 */
export async function busyProcesses(ours: number): Promise<string[]> {
  if (!hasProc()) return [];
  const before = readProcs();
  await new Promise((r) => setTimeout(r, 1000));
  const after = readProcs();
  const busy: { pid: number; pct: number }[] = [];
  for (const [pid, a] of after) {
    const b = before.get(pid);
    const pct = b ? a.ticks - b.ticks : 0;
    if (pct >= 20 && !isInTree(after, ours, pid) && !isInTree(before, ours, pid)) busy.push({ pid, pct });
  }
  return busy
    .sort((x, y) => y.pct - x.pct)
    .slice(0, 4)
    .map(({ pid, pct }) => {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        cmd = '?';
      }
      return `${pct} % ${cmd.replace(/\s+/g, ' ').slice(0, 110)}`;
    });
}
