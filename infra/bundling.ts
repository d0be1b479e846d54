import { type BundlingOptions, type ICommandHooks, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { FFMPEG_EXTERNAL_MODULES } from './ffmpeg.ts';
import { type FunctionName, sizingOf } from './function-sizing.ts';

/**
 * How every LOKIZ Lambda is bundled, in one place: NodejsFunction (infra/functions.ts) turns it
 * into esbuild CLI flags, and the bundle-budget test (test/infra/bundle-budget.test.ts) passes the
 * same settings to esbuild's API, so the sizes it measures are the sizes that get deployed.
 */
export const BUNDLE_SETTINGS = {
  format: 'esm',
  minify: true,
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

const quote = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;

/**
 * The shell commands that copy a function's BUNDLE_FILES into its bundle directory: NodejsFunction
 * runs them after esbuild (`commandHooks.afterBundling`, local bundling through bash), and so do
 * the bundle test and the bench, so they check what gets deployed.
 */
export function copyBundleFilesCommands(name: FunctionName, inputDir: string, outputDir: string): string[] {
  return bundleFilesOf(name).flatMap(({ from, to }) => {
    const target = `${outputDir}/${to}`;
    return [
      `mkdir -p ${quote(target.slice(0, target.lastIndexOf('/')))}`,
      `cp ${quote(`${inputDir}/${from}`)} ${quote(target)}`,
    ];
  });
}

function commandHooksOf(name: FunctionName): ICommandHooks | undefined {
  if (bundleFilesOf(name).length === 0) return undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => copyBundleFilesCommands(name, inputDir, outputDir),
  };
}

/** NodejsFunction's `bundling`: local esbuild (no Docker) with BUNDLE_SETTINGS. */
export function nodejsBundling(name: FunctionName): BundlingOptions {
  return {
    forceDockerBundling: false,
    format: OutputFormat.ESM,
    minify: BUNDLE_SETTINGS.minify,
    sourceMap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: BUNDLE_SETTINGS.banner,
    define: { ...BUNDLE_SETTINGS.define },
    externalModules: externalModulesOf(name),
    commandHooks: commandHooksOf(name),
  };
}

/**
 * The esbuild API options NodejsFunction derives from `nodejsBundling(name)` (it bundles for
 * platform node into `index.mjs` for ESM), for builds outside CDK: the bundle-budget test.
 */
export function esbuildOptions(name: FunctionName, entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: BUNDLE_SETTINGS.format,
    minify: BUNDLE_SETTINGS.minify,
    sourcemap: BUNDLE_SETTINGS.sourceMap,
    sourcesContent: BUNDLE_SETTINGS.sourcesContent,
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    define: { ...BUNDLE_SETTINGS.define },
    external: externalModulesOf(name),
  };
}
