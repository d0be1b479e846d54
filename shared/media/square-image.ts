import { open, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ffmpegPath, ffprobePath } from './binaries.ts';
import { FFMPEG_COMMON_ARGS, outputArg } from './input-safety.ts';
import { readJpegSize } from './jpeg-size.ts';
import { runBinary } from './run.ts';

/** Still-image demuxers only: a playlist or a video named .jpg is refused before it is parsed. */
const IMAGE_DEMUXERS = ['image2', 'jpeg_pipe', 'png_pipe', 'webp_pipe'];
/** Decompression bombs: a few KB of PNG can claim 50 000 × 50 000 pixels. */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const MAX_IMAGE_SIDE = 10_000;

export type ImageKind = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type from its magic bytes (never from its name or declared type). */
export async function sniffImage(path: string): Promise<ImageKind | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
    if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
      return 'image/png';
    if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP')
      return 'image/webp';
    return undefined;
  } finally {
    await handle.close();
  }
}

const inputArgs = (path: string) => [
  '-protocol_whitelist',
  'file',
  '-format_whitelist',
  IMAGE_DEMUXERS.join(','),
  '-i',
  `file:${resolve(path)}`,
];

/** Width and height of a still image, or undefined when ffprobe cannot read it as one. */
export async function probeImage(path: string): Promise<{ width: number; height: number } | undefined> {
  try {
    const { stdout } = await runBinary(
      ffprobePath(),
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=width,height',
        '-of',
        'json',
        ...inputArgs(path).slice(0, 4),
        `file:${resolve(path)}`,
      ],
      { timeoutMs: 15_000 },
    );
    const stream = (JSON.parse(stdout) as { streams?: { width?: number; height?: number }[] }).streams?.[0];
    return stream?.width && stream.height ? { width: stream.width, height: stream.height } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Centre-crops the image to a square and writes one JPEG per size (`<dir>/<size>.jpg`), upright
 * for JPEGs with an EXIF rotation only as far as ffmpeg applies it. Returns the paths by size.
 */
export async function makeSquareJpegs(
  path: string,
  dir: string,
  sizes: readonly number[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const size of sizes) {
    const target = join(dir, `${size}.jpg`);
    await runBinary(
      ffmpegPath(),
      [
        ...FFMPEG_COMMON_ARGS,
        ...inputArgs(path),
        '-frames:v',
        '1',
        '-vf',
        `crop='min(iw,ih)':'min(iw,ih)',scale=${size}:${size}:flags=lanczos,format=yuvj420p`,
        '-q:v',
        '3',
        '-f',
        'image2',
        '-c:v',
        'mjpeg',
        outputArg(target),
      ],
      { timeoutMs: 30_000 },
    );
    const bytes = await readFile(target);
    const dims = readJpegSize(bytes);
    if (!dims || dims.width !== size || dims.height !== size)
      throw new Error(`avatar ${size} px was not written`);
    out.set(size, target);
  }
  return out;
}
