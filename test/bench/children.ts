import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { EndpointPlan, FromChild, LoadOptions, LoadResult, Statement, ToChild } from './protocol.ts';

const HERE = import.meta.dirname;

interface Waiter {
  match: (m: FromChild) => boolean;
  resolve: (m: FromChild) => void;
  reject: (e: Error) => void;
}

/** A TypeScript child process (through tsx) spoken to over IPC. */
export class Child {
  private waiters: Waiter[] = [];
  private nextId = 1;
  private exited = false;
  readonly url: string | undefined;

  private constructor(
    readonly name: string,
    private proc: ChildProcess,
    url: string | undefined,
  ) {
    this.url = url;
  }

  static async start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Child> {
    const proc = fork(join(HERE, script), args, {
      execArgv: ['--import', 'tsx'],
      env,
      // Request logs (stdout) are written as in Lambda, then dropped; errors stay visible.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const ready = await new Promise<FromChild>((resolve, reject) => {
      proc.once('message', (m: FromChild) => resolve(m));
      proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    });
    if (ready.type !== 'ready') throw new Error(`${name}: unexpected ${ready.type}`);
    const child = new Child(name, proc, ready.url);
    proc.on('message', (m: FromChild) => child.dispatch(m));
    proc.on('exit', (code) => {
      child.exited = true;
      for (const w of child.waiters.splice(0)) w.reject(new Error(`${name} exited (${code})`));
    });
    return child;
  }

  private dispatch(m: FromChild) {
    const i = this.waiters.findIndex((w) => w.match(m));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      if (m.type === 'error') w!.reject(new Error(`${this.name}: ${m.message}`));
      else w!.resolve(m);
    } else if (m.type === 'error') {
      console.error(`[${this.name}] ${m.message}`);
    }
  }

  private request<T extends FromChild['type']>(msg: ToChild, type: T, id?: number) {
    return new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
      this.waiters.push({
        match: (m) =>
          (m.type === type || m.type === 'error') && (id === undefined || ('id' in m && m.id === id)),
        resolve: resolve as (m: FromChild) => void,
        reject,
      });
      this.proc.send(msg);
    });
  }

  /** The child's pid (the root of its process tree: a cluster primary and its workers). */
  get pid(): number {
    return this.proc.pid!;
  }

  send(msg: ToChild): void {
    this.proc.send(msg);
  }

  async startCapture(): Promise<void> {
    await this.request({ type: 'capture', on: true }, 'captured');
  }

  captured(): Promise<Statement[]> {
    return this.request({ type: 'captured' }, 'captured').then((m) => m.statements);
  }

  /** Asks the child to close its database connections (they reopen on the next request). */
  async release(): Promise<void> {
    await this.request({ type: 'release' }, 'released');
  }

  async run(plan: EndpointPlan, load: LoadOptions): Promise<LoadResult> {
    const id = this.nextId++;
    return (await this.request({ type: 'run', id, plan, load }, 'result', id)).result;
  }

  async media(key: string, videoId: string, ownerId: string, runs: number) {
    const id = this.nextId++;
    return this.request({ type: 'media', id, key, videoId, ownerId, runs }, 'media-result', id);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.send({ type: 'stop' } satisfies ToChild);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}
