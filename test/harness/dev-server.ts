import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readDevState } from '../../shared/local/dev-state.ts';
import { findPostmaster, pidIsAlive, stopPostmaster } from '../../shared/local/stale-postgres.ts';

/**
 * `npm run dev` (and `npm run demo`) as a developer runs them: `tsx shared/local/dev.ts` in its
 * own process group (a terminal's Ctrl-C reaches the whole group), in a temp state folder, with
 * an environment free of the test run's own settings.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const KEEP = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'CI'];

export interface DevProcess {
  child: ChildProcess;
  stateDir: string;
  output(): string;
  exitCode: Promise<number | null>;
  /** Resolves with the first match in the output so far or to come. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function baseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(KEEP.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
}

export function runLocal(
  script: 'dev' | 'demo',
  opts: { stateDir: string; env?: Record<string, string>; args?: string[] },
): DevProcess {
  const child = spawn(
    process.execPath,
    [TSX, join(ROOT, `shared/local/${script}.ts`), ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: { ...baseEnv(), LOKIZ_STATE_DIR: opts.stateDir, ...opts.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exitCode = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    stateDir: opts.stateDir,
    output: () => out,
    exitCode,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (!m) return;
          cleanup();
          resolvePromise(m);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} in:\n${out}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        exitCode.then(() => {
          if (!out.match(pattern)) {
            cleanup();
            reject(new Error(`exited before ${pattern}:\n${out}`));
          }
        });
        waiters.add(check);
        check();
      });
    },
  };
}

/** A dev server that finished starting: its printed URLs. */
export async function started(dev: DevProcess): Promise<{ apiUrl: string; pid: number }> {
  await dev.waitFor(/press Ctrl-C to stop/);
  const apiUrl = (await dev.waitFor(/\] API +(http:\/\/\S+)/))[1]!;
  const state = readDevState(dev.stateDir);
  if (state?.api_url !== apiUrl)
    throw new Error(`dev.json says ${state?.api_url}, the server printed ${apiUrl}`);
  return { apiUrl, pid: state.pid };
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'lokiz-dev-'));
}

/**
 * Leaves nothing running: the process groups we started get a Ctrl-C (so postgres shuts down and
 * removes its socket lock in /tmp), then SIGKILL if they linger; then any postgres on their folders.
 */
export async function cleanUp(processes: DevProcess[], stateDirs: string[]): Promise<void> {
  const live = processes.filter((p) => p.child.exitCode === null && p.child.pid && pidIsAlive(p.child.pid));
  const signal = (p: DevProcess, sig: NodeJS.Signals) => {
    try {
      process.kill(-p.child.pid!, sig);
    } catch {
      // already gone
    }
  };
  for (const p of live) signal(p, 'SIGINT');
  await Promise.race([Promise.all(live.map((p) => p.exitCode)), new Promise((r) => setTimeout(r, 15_000))]);
  for (const p of live) if (p.child.exitCode === null) signal(p, 'SIGKILL');
  for (const dir of stateDirs) {
    const holder = findPostmaster(join(dir, 'postgres'));
    if (holder) await stopPostmaster(holder.pid).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
