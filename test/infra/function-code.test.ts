import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/function-sizing.ts';
import { functionCode } from '../../infra/functions.ts';

/**
 * What `cdk deploy` uploads: a real synth with bundling on (the stack tests skip it for speed),
 * through `functionCode`, which runs infra/bundle-function.ts for each function.
 */
const outdir = mkdtempSync(join(tmpdir(), 'lokiz-function-code-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function code as cdk deploy bundles it', () => {
  it('gives each function its own bundle, with its lazy chunks and shipped files', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled');
    const names: FunctionName[] = ['likes', 'auth', 'migrate'];
    for (const name of names) {
      new lambda.Function(stack, name, {
        code: functionCode(name),
        handler: 'index.handler',
        runtime: lambda.Runtime.NODEJS_22_X,
      });
    }
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as {
      Resources: Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>;
    };
    const dirs = Object.fromEntries(
      names.map((name) => {
        const fn = Object.entries(template.Resources).find(
          ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(name),
        )![1];
        return [name, join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`)];
      }),
    ) as Record<FunctionName, string>;
    // CDK reuses a bundle for equal bundling options: each function must still get its own.
    expect(new Set(Object.values(dirs)).size).toBe(names.length);
    for (const name of names) expect(existsSync(join(dirs[name], 'index.mjs')), name).toBe(true);

    const chunks = (name: FunctionName) =>
      existsSync(join(dirs[name], 'chunks')) ? readdirSync(join(dirs[name], 'chunks')) : [];
    expect(chunks('auth')).toEqual(expect.arrayContaining([expect.stringMatching(/^bcryptjs-.*\.mjs$/)]));
    expect(existsSync(join(dirs.auth, 'node_modules/@zxcvbn-ts/language-common/package.json'))).toBe(true);
    expect(chunks('migrate')).toEqual(expect.arrayContaining([expect.stringMatching(/^all-.*\.mjs$/)]));
    expect(chunks('likes').filter((f) => /^(bcryptjs|all)-/.test(f))).toEqual([]);
    // The domain's own routes only.
    expect(readFileSync(join(dirs.likes, 'index.mjs'), 'utf8')).toContain('/v1/likes/videos/{id}');
    expect(readFileSync(join(dirs.likes, 'index.mjs'), 'utf8')).not.toContain('/v1/auth/login');
  }, 120_000);
});
