import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../../infra/paths.ts';
import { freePort } from '../../../shared/local/ports.ts';
import { type LocalStack, startLocalStack } from '../../../shared/local/runtime.ts';
import { runSmoke } from '../../../shared/local/smoke.ts';

/**
 * `npm run smoke` against the local stack (`npm run dev`, started in-process on free ports): every
 * step works, and the command exits 0; against a dead URL it reports failures and exits 1.
 */
let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lokiz-smoke-state-'));
  stack = await startLocalStack({
    stateDir: dir,
    port: await freePort(),
    s3Port: await freePort(),
    log: () => undefined,
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run smoke', () => {
  it('drives the local stack as a client would: every step works', async () => {
    const lines: string[] = [];
    const steps = await runSmoke({ url: stack.apiUrl, log: (l) => lines.push(l) });
    expect(steps.map((s) => [s.name, s.ok, s.ok ? '' : s.detail])).toEqual(
      [
        'health',
        'register',
        'upload a clip',
        'video becomes ready',
        'feed',
        'media from the CDN',
        'capture a frame',
        'forged webhook → 401',
      ].map((name) => [name, true, '']),
    );
    expect(lines.at(-1)).toBe('[smoke] all 8 steps work');
  }, 120_000);

  it('is the npm script: exit 0 when everything works, 1 (with what failed) when not', async () => {
    const run = (url: string) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', repoPath('shared/local/smoke-cli.ts'), '--url', url],
        {
          cwd: repoPath(),
        },
      ).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const ok = await run(stack.apiUrl);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('✔ capture a frame');
    expect(ok.out).toContain('✔ media from the CDN');
    const dead = await run(`http://127.0.0.1:${await freePort()}`);
    expect(dead.code).toBe(1);
    expect(dead.out).toMatch(/✘ health/);
    expect(dead.out).toMatch(/skipped: needs token/);
  }, 120_000);
});
