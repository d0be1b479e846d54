import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveApiUrl } from '../../../shared/local/dev-state.ts';
import { freePort } from '../../../shared/local/ports.ts';
import { pidIsAlive } from '../../../shared/local/stale-postgres.ts';
import { cleanUp, type DevProcess, runLocal, started, tempStateDir } from '../../harness/dev-server.ts';

/**
 * The first hour with `npm run dev`, scripted: real dev servers (tsx shared/local/dev.ts) in temp
 * state folders on free ports, side by side, killed, interrupted, misconfigured, and the demo.
 */
const processes: DevProcess[] = [];
const dirs: string[] = [];
const dev = (env: Record<string, string> = {}, args: string[] = [], stateDir = newDir()) => {
  const p = runLocal('dev', { stateDir, env: { PORT: '0', ...env }, args });
  processes.push(p);
  return p;
};
const newDir = () => {
  const d = tempStateDir();
  dirs.push(d);
  return d;
};
const postmasterPid = (stateDir: string) =>
  Number.parseInt(readFileSync(join(stateDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0]!, 10);
const health = (apiUrl: string) => fetch(`${apiUrl}/health`).then((r) => r.status);
const NO_STACK = /^\s+at |triggerUncaughtException|node:internal/m;

afterAll(() => cleanUp(processes, dirs), 60_000);

describe('npm run dev: ports, stale state and start-up errors', { timeout: 180_000 }, () => {
  let a: DevProcess;
  let aServer: { apiUrl: string; pid: number };
  let b: DevProcess;

  it('runs two dev servers side by side, each printing its own ports', async () => {
    a = dev();
    b = dev();
    const [sa, sb] = await Promise.all([started(a), started(b)]);
    aServer = sa;
    expect(sa.apiUrl).not.toBe(sb.apiUrl);
    const rows = (p: DevProcess) =>
      ['S3 \\(local\\)', 'PostgreSQL', 'Replicate', 'SNS \\(push\\)', 'WS manage'].map((name) =>
        p
          .output()
          .match(new RegExp(`\\] ${name} +\\S*127\\.0\\.0\\.1:(\\d+)\\S*  \\((\\w+)\\)`))
          ?.slice(1, 3),
      );
    const [ra, rb] = [rows(a), rows(b)];
    expect(ra.map((r) => r?.[1])).toEqual([
      'S3_PORT',
      'POSTGRES_PORT',
      'REPLICATE_STANDIN_PORT',
      'SNS_STANDIN_PORT',
      'MANAGEMENT_STANDIN_PORT',
    ]);
    for (let i = 0; i < ra.length; i++) expect(ra[i]![0]).not.toBe(rb[i]![0]);
    expect(await health(sa.apiUrl)).toBe(200);
    expect(await health(sb.apiUrl)).toBe(200);
  });

  it('refuses a second dev server on the same checkout, naming the process that holds its PostgreSQL', async () => {
    const second = dev({}, [], a.stateDir);
    expect(await second.exitCode).toBe(1);
    const out = second.output();
    expect(out).toMatch(
      new RegExp(
        `PostgreSQL \\(pid ${postmasterPid(a.stateDir)}\\) already runs on .*started by pid ${aServer.pid} `,
      ),
    );
    expect(out).toContain('npm run dev -- --stop-stale');
    expect(out).not.toMatch(NO_STACK);
    expect(await health(aServer.apiUrl)).toBe(200);
  });

  it('runs npm run demo against the dev server on its non-default port, found through dev.json', async () => {
    const demo = runLocal('demo', { stateDir: a.stateDir });
    processes.push(demo);
    const code = await demo.exitCode;
    expect(demo.output(), demo.output()).toMatch(/\[demo\] glitch video \S+ ready/);
    expect(code).toBe(0);
    const port = new URL(aServer.apiUrl).port;
    expect(port).not.toBe('3000');
    expect(demo.output()).toMatch(new RegExp(`API http://127\\.0\\.0\\.1:${port} \\(from .*dev\\.json\\)`));
  });

  it('logs one compact line per request, and worker lines carry their own invocation, not a request', async () => {
    await a.waitFor(/\[ai-dispatcher\] job dispatched/);
    // The uploaded clip and the glitch's output.
    await a.waitFor(/\[process-upload\] upload processed[\s\S]*\[process-upload\] upload processed/);
    const lines = a.output().split('\n');
    const requests = lines.filter((l) =>
      /^\d\d:\d\d:\d\d\.\d{3} (GET|POST|PATCH|DELETE) \/\S* \d{3} \d+ ms /.test(l),
    );
    expect(requests.some((l) => / POST \/v1\/auth\/register 201 \d+ ms req=\S+$/.test(l))).toBe(true);
    const requestIds = new Set(requests.map((l) => l.match(/ req=(\S+)$/)![1]));
    expect(requestIds.size).toBe(requests.length);
    const workerLines = lines.filter((l) => /\[(process-upload|ai-dispatcher)\]/.test(l));
    expect(workerLines.length).toBeGreaterThanOrEqual(3);
    for (const line of workerLines) {
      const req = line.match(/ req=(\S+)$/)?.[1];
      expect(req, line).toBeDefined();
      expect(requestIds.has(req!), `${line} is tagged with an HTTP request`).toBe(false);
      expect(line, line).not.toMatch(/ \((GET|POST) \/|route=/);
    }
    expect(
      lines.filter((l) => l.startsWith('{')),
      'no JSON lines in npm run dev',
    ).toEqual([]);
  });

  it('stops silently and cleanly on Ctrl-C (the whole process group, as a terminal sends it)', async () => {
    const before = b.output().length;
    process.kill(-b.child.pid!, 'SIGINT');
    expect(await b.exitCode).toBe(0);
    expect(b.output().slice(before)).toBe('');
    expect(existsSync(join(b.stateDir, 'postgres/postmaster.pid'))).toBe(false);
    expect(existsSync(join(b.stateDir, 'dev.json'))).toBe(false);
  });

  it('after a SIGKILL, the next dev server stops the orphaned PostgreSQL it left and starts', async () => {
    const orphan = postmasterPid(a.stateDir);
    process.kill(a.child.pid!, 'SIGKILL'); // tsx's wrapper…
    process.kill(aServer.pid, 'SIGKILL'); // …and the server process itself: postgres is left running
    await a.exitCode;
    expect(pidIsAlive(orphan)).toBe(true);
    const next = dev({}, [], a.stateDir);
    const s = await started(next);
    expect(next.output()).toContain(`stopping the PostgreSQL (pid ${orphan}) an earlier run left behind`);
    expect(pidIsAlive(orphan)).toBe(false);
    expect(await health(s.apiUrl)).toBe(200);

    // --stop-stale takes the folder even from a live dev server.
    const taker = dev({}, ['--stop-stale'], a.stateDir);
    const held = postmasterPid(a.stateDir);
    await started(taker);
    expect(taker.output()).toContain(`--stop-stale: stopping the PostgreSQL (pid ${held}) of pid ${s.pid}`);
    // The server that lost its database still stops on Ctrl-C.
    process.kill(-next.child.pid!, 'SIGINT');
    expect(await next.exitCode).toBe(0);
  });

  it('says in one line, exit code 1, when a port is taken or the database is wrong', async () => {
    const occupied = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => occupied.once('listening', r));
    const busy = (occupied.address() as { port: number }).port;
    const dead = await freePort();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { S3_PORT: String(busy) },
        new RegExp(
          `^\\[lokiz\\] Local S3 cannot listen on port ${busy}: it is already in use\\. Set S3_PORT`,
        ),
      ],
      [{ PORT: String(busy) }, new RegExp(`^\\[lokiz\\] The API cannot listen on port ${busy}: .* Set PORT`)],
      [
        { SNS_STANDIN_PORT: String(busy) },
        new RegExp(`^\\[lokiz\\] The SNS stand-in cannot listen on port ${busy}: .* Set SNS_STANDIN_PORT`),
      ],
      [{ PORT: 'abc' }, /^\[lokiz\] Invalid setting: PORT /],
      [{ DATABASE_URL: 'not a url' }, /^\[lokiz\] DATABASE_URL is not a URL/],
      [{ DATABASE_URL: 'mysql://root@127.0.0.1/lokiz' }, /^\[lokiz\] DATABASE_URL must be postgres:\/\//],
      [
        { DATABASE_URL: `postgres://postgres:secret@127.0.0.1:${dead}/lokiz` },
        new RegExp(
          `^\\[lokiz\\] Cannot reach the database at postgres://postgres:\\*\\*\\*\\*@127\\.0\\.0\\.1:${dead}/lokiz \\(ECONNREFUSED\\)`,
        ),
      ],
    ];
    try {
      const runs = cases.map(([env]) => dev(env));
      for (const [i, run] of runs.entries()) {
        expect(await run.exitCode, run.output()).toBe(1);
        const errorLines = run
          .output()
          .split('\n')
          .filter((l) => l && !/starting embedded PostgreSQL/.test(l));
        expect(errorLines, run.output()).toHaveLength(1);
        expect(errorLines[0]).toMatch(cases[i]![1]);
        expect(run.output()).not.toMatch(NO_STACK);
        expect(run.output()).not.toContain('secret');
      }
    } finally {
      occupied.close();
    }
  });
});

describe('npm run demo finds the API', () => {
  it('API_URL first, then PORT, then the dev server file, then :3000', () => {
    const stateDir = newDir();
    expect(resolveApiUrl({ LOKIZ_STATE_DIR: stateDir })).toEqual({
      url: 'http://127.0.0.1:3000',
      source: 'the default',
    });
    expect(resolveApiUrl({ LOKIZ_STATE_DIR: stateDir, PORT: '4100' }).url).toBe('http://127.0.0.1:4100');
    expect(resolveApiUrl({ LOKIZ_STATE_DIR: stateDir, PORT: '4100', API_URL: 'http://h:1/' }).url).toBe(
      'http://h:1',
    );
  });

  it('says in one line that no dev server answers', async () => {
    const demo = runLocal('demo', { stateDir: newDir(), env: { PORT: String(await freePort()) } });
    processes.push(demo);
    expect(await demo.exitCode).toBe(1);
    expect(demo.output().trim()).toMatch(
      /^\[demo\] no LOKIZ API answers at http:\/\/127\.0\.0\.1:\d+ \(from PORT\): start `npm run dev` first/,
    );
  });
});
