import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const LAYER_DIR = dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

/** The static linux-x64 builds shipped by the npm installers (already in node_modules). */
const BINARIES = [
  { name: 'ffmpeg', pkg: '@ffmpeg-installer/linux-x64' },
  { name: 'ffprobe', pkg: '@ffprobe-installer/linux-x64' },
] as const;

function packageDir(pkg: string): string {
  try {
    return dirname(requireFromHere.resolve(`${pkg}/package.json`));
  } catch {
    // npm installs it only on linux-x64 (its os/cpu fields); other machines must ask for it.
    throw new Error(
      `${pkg} is not installed, so the ffmpeg layer can't be built on this machine. ` +
        `Run: npm install --no-save --os=linux --cpu=x64 ${pkg}`,
    );
  }
}

/** Copies the binaries to `<outputDir>/bin/` (the layer's /opt/bin/), executable by everyone. */
export function copyFfmpegBinaries(outputDir: string): void {
  const binDir = join(outputDir, 'bin');
  mkdirSync(binDir, { recursive: true });
  for (const { name, pkg } of BINARIES) {
    const target = join(binDir, name);
    copyFileSync(join(packageDir(pkg), name), target);
    // The zip keeps file modes, and ffprobe arrives as 0744 from npm.
    chmodSync(target, 0o755);
  }
}

/** The installed package's version, or `missing` (then only an actual bundling fails, with advice). */
function installedVersion(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'missing';
  }
}

/**
 * Changes whenever a binary or this script does, without hashing 150 MB on every synth:
 * the packages' versions stand for their binaries.
 */
function layerFingerprint(): string {
  const hash = createHash('sha256');
  for (const { pkg } of BINARIES) hash.update(`${pkg}@${installedVersion(pkg)}\n`);
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

/**
 * The layer's code, built at synth time by plain file copies (no Docker, no network). When
 * bundling is skipped (unit tests: `aws:cdk:bundling-stacks: []`) nothing is copied at all.
 */
export function ffmpegLayerCode(): lambda.Code {
  return lambda.Code.fromAsset(LAYER_DIR, {
    assetHashType: AssetHashType.CUSTOM,
    assetHash: layerFingerprint(),
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('none'),
      local: {
        tryBundle(outputDir: string): boolean {
          copyFfmpegBinaries(outputDir);
          return true;
        },
      },
    },
  });
}
