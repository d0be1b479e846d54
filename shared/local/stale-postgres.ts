import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A PostgreSQL already running on a data folder: what `npm run dev` finds when an earlier run was
 * killed (kill -9, a closed terminal: postgres ignores SIGHUP) or when another dev server of this
 * checkout is still up. Postgres writes its pid in the first line of `postmaster.pid`.
 */
export interface PostmasterHolder {
  pid: number;
  /** Its command line, e.g. `…/postgres -D /repo/.lokiz/postgres -p 41234 …`. */
  command: string;
  /** The live node process (a dev server, a test run) that started it; undefined once that one is gone. */
  parent: { pid: number; command: string } | undefined;
  /** Provably ours and left behind: a postgres on this very folder whose starter is gone. */
  orphan: boolean;
}

export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function processCommand(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
  } catch {
    return undefined;
  }
}

/** Whether the command is a postgres server whose `-D` is exactly this folder. */
function servesDataDir(command: string, dataDir: string): boolean {
  const args = command.split(' ');
  const d = args.indexOf('-D');
  return /postgres$/.test(args[0] ?? '') && d >= 0 && resolve(args[d + 1] ?? '') === resolve(dataDir);
}

/**
 * The live postmaster holding `dataDir`, or undefined (a pid file whose process is gone, or whose
 * pid now belongs to something else, is removed: postgres would refuse to start because of it).
 * It is an orphan when it serves this folder and no live node process (the dev server or test run
 * that started it) is its parent any more: the kernel hands orphans to init or a subreaper.
 */
export function findPostmaster(dataDir: string): PostmasterHolder | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  const command = Number.isFinite(pid) && pidIsAlive(pid) ? processCommand(pid) : undefined;
  if (!command || !servesDataDir(command, dataDir)) {
    rmSync(pidFile, { force: true });
    return undefined;
  }
  const ppid = parentPid(pid);
  const parentCommand = ppid && ppid > 1 ? processCommand(ppid) : undefined;
  const parent = ppid && parentCommand ? { pid: ppid, command: parentCommand } : undefined;
  const ownedByNode = parent !== undefined && /(^|\/)(node|tsx)( |$)/.test(parent.command);
  return { pid, command, parent: ownedByNode ? parent : undefined, orphan: !ownedByNode };
}

/** Fast shutdown (SIGINT: abort transactions, close cleanly), then SIGQUIT if it lingers. */
export async function stopPostmaster(pid: number, timeoutMs = 10_000): Promise<void> {
  const gone = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!pidIsAlive(pid)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return !pidIsAlive(pid);
  };
  process.kill(pid, 'SIGINT');
  if (await gone(timeoutMs)) return;
  process.kill(pid, 'SIGQUIT');
  if (!(await gone(timeoutMs))) throw new Error(`PostgreSQL (pid ${pid}) did not stop`);
}
