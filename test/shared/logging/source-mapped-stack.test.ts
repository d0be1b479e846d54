import { execFile } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, RUNTIME_NODE_OPTIONS } from '../../../infra/bundling.ts';
import { entryOf } from '../../../infra/functions.ts';
import { repoPath } from '../../../infra/paths.ts';
import { sourceMappedStack } from '../../../shared/logging/source-mapped-stack.ts';
import { httpApiEvent, lambdaContext } from '../../harness/events.ts';

const run = promisify(execFile);
// Outside the repository, as /var/task is: what the bundle carries is all there is.
const dir = join(tmpdir(), `lokiz-mapped-stack-${process.pid}`);

/**
 * The deployed `likes` bundle, in a fresh node with the deployed NODE_OPTIONS, answering a request
 * while its database settings are missing: the error middleware logs the unhandled error.
 */
async function loggedError(): Promise<{ status: number; error: { location: string; stack: string } }> {
  const event = httpApiEvent({
    method: 'GET',
    path: '/v1/likes/videos/6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11/check',
    route: '/v1/likes/videos/{id}/check',
    pathParameters: { id: '6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11' },
  });
  writeFileSync(
    join(dir, 'invoke.mjs'),
    `const { handler } = await import('./index.mjs');
const res = await handler(${JSON.stringify(event)}, ${JSON.stringify(lambdaContext('lokiz-likes'))});
console.log(JSON.stringify({ invoked_status: res.statusCode }));`,
  );
  const { stdout, stderr } = await run(process.execPath, [...RUNTIME_NODE_OPTIONS, join(dir, 'invoke.mjs')], {
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', POWERTOOLS_SERVICE_NAME: 'lokiz-likes' },
  });
  // Powertools writes errors to stderr, other levels to stdout: read both.
  const lines = `${stdout}\n${stderr}`
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map(
      (l) =>
        JSON.parse(l) as {
          message?: string;
          invoked_status?: number;
          error?: { location: string; stack: string };
        },
    );
  const logged = lines.find((l) => l.message === 'unhandled error');
  const invoked = lines.find((l) => l.invoked_status !== undefined);
  expect(logged, `${stdout}\n${stderr}`).toBeDefined();
  return { status: invoked!.invoked_status!, error: logged!.error! };
}

beforeAll(async () => {
  await build({ ...esbuildOptions('likes', repoPath(entryOf('likes')), dir), logLevel: 'silent' });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('source-mapped error stacks', () => {
  it('deployed functions start without --enable-source-maps', () => {
    expect(RUNTIME_NODE_OPTIONS).not.toContain('--enable-source-maps');
  });

  it('a deployed bundle logs an error with its stack and location at the source files', async () => {
    const { status, error } = await loggedError();
    expect(status).toBe(500);
    // Where the missing setting was noticed, and the way there from the handler, in repo paths.
    expect(error.stack).toMatch(/\n {4}at shared\/config\/env\.ts:\d+:\d+\n/);
    expect(error.stack).toMatch(/\(shared\/auth\/tokens\.ts:\d+:\d+\)/);
    expect(error.stack).toMatch(/\(shared\/http\/domain-handler\.ts:\d+:\d+\)/);
    expect(error.stack).toMatch(/\(node_modules\/@middy\/core\/index\.js:\d+:\d+\)/);
    expect(error.stack).not.toMatch(/index\.mjs:\d+:\d+/);
    // Powertools' location: the first frame with a function name.
    expect(error.location).toMatch(/^shared\/auth\/tokens\.ts:\d+$/);
  });

  it('leaves frames as they are when the bundle has no map beside it', async () => {
    const maps = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.map'));
    expect(maps).toContain('index.mjs.map');
    for (const map of maps) rmSync(join(dir, map));
    const { error } = await loggedError();
    expect(error.stack).toMatch(/index\.mjs:\d+:\d+/);
    expect(error.stack).not.toMatch(/shared\/config\/env\.ts/);
  });

  it('maps nothing in a stack without bundle frames', () => {
    const stack = 'Error: x\n    at f (/work/shared/a.ts:1:2)\n    at node:internal/process:3:4';
    expect(sourceMappedStack(stack)).toBe(stack);
  });
});
