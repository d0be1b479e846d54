import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
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
  // Stack traces keep file:line; the sources themselves stay out of the map (a 2.9 MB map per
  // function otherwise, which Node parses at start-up with --enable-source-maps).
  sourceMap: true,
  sourcesContent: false,
  // The Lambda runtime (functions.ts); it ships AWS SDK v3, so the SDK is never bundled.
  target: 'node22',
  externalModules: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  // pg and bcryptjs call `require` at runtime, which an ESM bundle doesn't define by itself.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Left out of a function's bundle: the AWS SDK always, and for the ffmpeg functions the npm
 * installers, which only matter when FFMPEG_PATH/FFPROBE_PATH are unset (local dev): in AWS
 * the binaries come from the layer.
 */
export function externalModulesOf(name: FunctionName): string[] {
  return [...BUNDLE_SETTINGS.externalModules, ...(sizingOf(name).ffmpeg ? FFMPEG_EXTERNAL_MODULES : [])];
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
    externalModules: externalModulesOf(name),
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
    external: externalModulesOf(name),
  };
}
