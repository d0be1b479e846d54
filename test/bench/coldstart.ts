import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { median } from './stats.ts';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
/** Inside node_modules, so the bundles' external `@aws-sdk/*` imports resolve (Lambda's runtime ships the SDK). */
export const BUNDLE_DIR = join(REPO, 'node_modules', '.cache', 'lokiz-bench', 'bundles');

type EsbuildOptionsOf = (name: string, entry: string, outdir: string) => BuildOptions;

/**
 * The esbuild options `cdk deploy` uses: infra/bundling.ts `esbuildOptions()` when it exists
 * (the same settings NodejsFunction is given), else a copy of infra/functions.ts' options.
 */
async function deployedOptions(): Promise<{ optionsOf: EsbuildOptionsOf; source: string }> {
  const module = '../../infra/bundling.ts'; // not a literal: the bench must not break if it moves
  try {
    const mod = (await import(module)) as { esbuildOptions?: EsbuildOptionsOf };
    if (typeof mod.esbuildOptions === 'function') {
      return { optionsOf: mod.esbuildOptions, source: '`esbuildOptions()` of infra/bundling.ts' };
    }
  } catch {
    // fall back to the copy below
  }
  const { FFMPEG_EXTERNAL_MODULES } = await import('../../infra/ffmpeg.ts');
  const { sizingOf } = await import('../../infra/function-sizing.ts');
  return {
    source: 'a copy of the bundling options in infra/functions.ts',
    optionsOf: (name, entry, outdir) => ({
      entryPoints: { index: entry },
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: true,
      sourcemap: true,
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
      external: ['@aws-sdk/*', ...(sizingOf(name as never).ffmpeg ? FFMPEG_EXTERNAL_MODULES : [])],
    }),
  };
}

export interface BundleTiming {
  name: string;
  entry: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Median import time (ms) in a fresh `node`, with NODE_OPTIONS=--enable-source-maps as deployed. */
  importMs: number;
  /** The same without source maps. */
  importMsNoMaps: number;
  /** Median wall time of the whole `node` process (start-up + import + exit), source maps on. */
  processMs: number;
}

export interface ColdStartReport {
  bundlingSource: string;
  runs: number;
  nodeVersion: string;
  hello: BundleTiming;
  /** A handler that only imports the SDK clients every API function loads: S3, its presigner, Secrets Manager. */
  sdk: BundleTiming;
  bundles: BundleTiming[];
  bundleMs: number;
}

const IMPORT_SNIPPET =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

async function timeImport(
  file: string,
  sourceMaps: boolean,
): Promise<{ importMs: number; processMs: number }> {
  const t0 = performance.now();
  const { stdout } = await run(
    process.execPath,
    [
      ...(sourceMaps ? ['--enable-source-maps'] : []),
      '--input-type=module',
      '-e',
      IMPORT_SNIPPET,
      pathToFileURL(file).href,
    ],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_ENV: 'production',
      },
    },
  );
  return { importMs: Number(stdout), processMs: performance.now() - t0 };
}

/**
 * Cold start proxy: every Lambda bundled as `cdk deploy` bundles it, each imported in fresh
 * Node processes (what Lambda's init phase does before the first invocation), next to a
 * hello-world handler bundled the same way.
 */
export async function measureColdStart(runs: number, log: (l: string) => void): Promise<ColdStartReport> {
  const { domainsWithRoutes } = await import('../../infra/route-table.ts');
  const { WORKERS } = await import('../../infra/function-sizing.ts');
  const { entryOf } = await import('../../infra/functions.ts');
  const { optionsOf, source } = await deployedOptions();

  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const helloEntry = join(BUNDLE_DIR, 'hello-world.ts');
  writeFileSync(helloEntry, 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n');

  const sdkEntry = join(BUNDLE_DIR, 'aws-sdk-s3.ts');
  writeFileSync(
    sdkEntry,
    "import { S3Client } from '@aws-sdk/client-s3';\nimport { getSignedUrl } from '@aws-sdk/s3-request-presigner';\n" +
      "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\n" +
      'export const handler = async () => ({ statusCode: 200, body: String(!!S3Client && !!getSignedUrl && !!SecretsManagerClient) });\n',
  );

  const targets = [
    { name: 'hello-world', entry: helloEntry },
    { name: 'aws-sdk-s3', entry: sdkEntry },
    // Entries as the stack resolves them (infra/functions.ts), so a new kind of function is measured too.
    ...domainsWithRoutes().map((d) => ({ name: d as string, entry: join(REPO, entryOf(d)) })),
    ...WORKERS.map((w) => ({ name: w as string, entry: join(REPO, entryOf(w)) })),
  ];

  const tb = performance.now();
  await Promise.all(
    targets.map((t) => build({ ...optionsOf(t.name, t.entry, join(BUNDLE_DIR, t.name)), logLevel: 'error' })),
  );
  const bundleMs = performance.now() - tb;
  log(`  bundled ${targets.length} entries in ${(bundleMs / 1000).toFixed(1)} s`);

  const timings: BundleTiming[] = [];
  for (const t of targets) {
    const file = join(BUNDLE_DIR, t.name, 'index.mjs');
    const withMaps: { importMs: number; processMs: number }[] = [];
    const withoutMaps: number[] = [];
    // Alternate, so drift in machine load hits both columns alike.
    for (let i = 0; i < runs; i++) {
      withMaps.push(await timeImport(file, true));
      withoutMaps.push((await timeImport(file, false)).importMs);
    }
    const code = readFileSync(file);
    const timing: BundleTiming = {
      name: t.name,
      entry: t.entry.slice(REPO.length + 1),
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      mapBytes: statSync(`${file}.map`, { throwIfNoEntry: false })?.size ?? 0,
      importMs: median(withMaps.map((x) => x.importMs)),
      importMsNoMaps: median(withoutMaps),
      processMs: median(withMaps.map((x) => x.processMs)),
    };
    log(
      `  ${t.name}: ${(timing.bytes / 1024).toFixed(0)} KiB, import ${timing.importMs.toFixed(0)} ms ` +
        `(${timing.importMsNoMaps.toFixed(0)} ms without source maps)`,
    );
    timings.push(timing);
  }
  return {
    bundlingSource: source,
    runs,
    nodeVersion: process.version,
    hello: timings[0]!,
    sdk: timings[1]!,
    bundles: timings.slice(2),
    bundleMs,
  };
}
