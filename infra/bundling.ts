import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { entryOf } from './entries.ts';
import { FFMPEG_EXTERNAL_MODULES } from './ffmpeg.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';
import { leaveOutModules } from './left-out-modules.ts';
import { REPO_ROOT, repoPath } from './paths.ts';

/**
 * How every LOKIZ Lambda is bundled, in one place: `bundleFunction` below, which `cdk deploy`
 * (infra/functions.ts, through infra/bundle-function.ts), the bundle tests and the bench all call,
 * so the sizes they measure are the sizes that get deployed.
 */
export const BUNDLE_SETTINGS = {
  format: 'esm',
  minify: true,
  // What only some requests need (a password's bcrypt, a mail's copy, Replicate's client, the
  // migrations) is behind `import()`: with splitting it becomes a chunk beside index.mjs that Node
  // reads on that first use, instead of parsing it in every cold start.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  // Shipped beside the bundle for the logger, which maps a logged error's stack back to file:line
  // (RUNTIME_NODE_OPTIONS); the sources themselves stay out of the map (2.9 MB per function).
  sourceMap: true,
  sourcesContent: false,
  // The Lambda runtime (functions.ts); it ships AWS SDK v3, so the SDK is never bundled.
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  // The error-docs check is for tests only (shared/http/middlewares/error-response.ts): fixed off
  // here, esbuild drops it and the error catalogue it reads (12 KiB of every API bundle).
  define: { 'process.env.LOKIZ_CHECK_ERROR_DOCS': '"0"' },
  // pg and bcryptjs call `require` at runtime, which an ESM bundle doesn't define by itself.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * NODE_OPTIONS of every deployed function: none. Not `--enable-source-maps`, with which Node reads
 * and decodes the bundle's map while loading it, 10–20 ms of every cold start (BENCHMARKS.md "Cold
 * start proxy"); a logged error's stack is mapped when it is logged instead, from the same map
 * (shared/logging/source-mapped-stack.ts). The bench imports the bundles with these options.
 */
export const RUNTIME_NODE_OPTIONS: readonly string[] = [];

/** A file copied next to a function's `index.mjs` after bundling: repo-relative → bundle-relative. */
export interface BundleFile {
  from: string;
  to: string;
}

const packageFile = (pkg: string, file: string): BundleFile => ({
  from: `node_modules/${pkg}/${file}`,
  to: `node_modules/${pkg}/${file}`,
});

/**
 * The common-password list (@zxcvbn-ts/language-common, 371 KiB of compressed JS) is imported on a
 * password's first check only. Inside index.mjs it would still be parsed at every cold start of
 * `auth` and `account`; as its own package in the asset's node_modules, Node reads it on that
 * first `import()` only. The same bare specifier resolves from the repository's node_modules in
 * dev and tests.
 */
const COMMON_PASSWORDS: BundleFile[] = [
  packageFile('@zxcvbn-ts/language-common', 'package.json'),
  packageFile('@zxcvbn-ts/language-common', 'dist/passwords.json.mjs'),
  packageFile('@zxcvbn-ts/dictionary-compression', 'package.json'),
  packageFile('@zxcvbn-ts/dictionary-compression', 'dist/decompress.mjs'),
];

/**
 * Files a function reads or imports at run time from next to its bundle, never parsed at init:
 * `system` serves the OpenAPI document from the generated file (`npm run openapi`) rather than
 * building it from every domain's schemas, which it would then have to bundle.
 */
export const BUNDLE_FILES: Partial<Record<FunctionName, readonly BundleFile[]>> = {
  system: [{ from: 'functions/system/openapi.json', to: 'openapi.json' }],
  auth: COMMON_PASSWORDS,
  account: COMMON_PASSWORDS,
};

export const bundleFilesOf = (name: FunctionName): readonly BundleFile[] => BUNDLE_FILES[name] ?? [];

/**
 * Left out of a function's bundle: the AWS SDK always; the packages it ships beside the bundle
 * (BUNDLE_FILES); and for the ffmpeg functions the npm installers, which only matter when
 * FFMPEG_PATH/FFPROBE_PATH are unset (local dev): in AWS the binaries come from the layer.
 */
export function externalModulesOf(name: FunctionName): string[] {
  const shipped = new Set(
    bundleFilesOf(name).flatMap(({ to }) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(to)?.[1] ?? []),
  );
  return [
    ...BUNDLE_SETTINGS.externalModules,
    ...shipped,
    ...(sizingOf(name).ffmpeg ? FFMPEG_EXTERNAL_MODULES : []),
  ];
}

/** Copies a function's BUNDLE_FILES from the repository into its bundle directory. */
export function copyBundleFiles(name: FunctionName, outputDir: string): void {
  for (const { from, to } of bundleFilesOf(name)) {
    const target = join(outputDir, to);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(repoPath(from), target);
  }
}

/**
 * esbuild's options for one function: what `bundleFunction` builds, and what the bench and the
 * bundle tests build with (adding a metafile). Output: `index.mjs`, its lazy chunks under
 * `chunks/`, and a map beside each.
 */
export function esbuildOptions(name: FunctionName, entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: BUNDLE_SETTINGS.format,
    splitting: BUNDLE_SETTINGS.splitting,
    chunkNames: BUNDLE_SETTINGS.chunkNames,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    define: { ...BUNDLE_SETTINGS.define },
    external: externalModulesOf(name),
    plugins: [leaveOutModules(name)],
    absWorkingDir: REPO_ROOT,
    logLevel: 'error',
  };
}

/** Bundles one function into `outputDir` as it is deployed: esbuild, then its BUNDLE_FILES. */
export async function bundleFunction(name: FunctionName, outputDir: string): Promise<void> {
  await build(esbuildOptions(name, repoPath(entryOf(name)), outputDir));
  copyBundleFiles(name, outputDir);
}
