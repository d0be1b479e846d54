import { createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ffmpegPath } from '../../../media/binaries.ts';
import { FFMPEG_COMMON_ARGS, outputArg } from '../../../media/input-safety.ts';
import { runBinary } from '../../../media/run.ts';

/** Small and fast outputs: the stand-in proves the plumbing, not the art. */
export const OUTPUT_MAX_SECONDS = 3;
export const OUTPUT_FPS = 15;
export const OUTPUT_WIDTH = 480;
export const X264_ARGS = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'] as const;
export const MP4_MUX_ARGS = ['-movflags', '+faststart', '-f', 'mp4'] as const;

const MAX_INPUT_BYTES = 200 * 1024 * 1024;
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** An input the stand-in could not fetch or use: the prediction fails with this message. */
export class InputFetchError extends Error {
  override name = 'InputFetchError';
}

/**
 * Downloads an input URL (http, https or data:) to `destBase` + an extension from its magic bytes, like
 * Replicate fetches inputs before the model runs. Size-limited; never reads local files.
 */
export async function downloadInput(
  field: string,
  url: string,
  destBase: string,
  signal: AbortSignal,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new InputFetchError(`could not download input ${field}: ${(err as Error).message}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new InputFetchError(`could not download input ${field}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_INPUT_BYTES) {
    await response.body.cancel();
    throw new InputFetchError(`input ${field} is too large (${declared} bytes)`);
  }
  const partPath = `${destBase}.part`;
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > MAX_INPUT_BYTES) callback(new InputFetchError(`input ${field} is too large`));
      else callback(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
    limit,
    createWriteStream(partPath),
  );
  if (bytes === 0) throw new InputFetchError(`input ${field} is empty`);

  const path = `${destBase}.${await sniffExtension(partPath)}`;
  await rename(partPath, path);
  return path;
}

async function sniffExtension(path: string): Promise<string> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpg';
  if (head.subarray(0, 4).toString('latin1') === '\x89PNG') return 'png';
  if (
    head.subarray(0, 4).toString('latin1') === 'RIFF' &&
    head.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'webp';
  }
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') return 'mp4';
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'webm';
  return 'bin';
}

/**
 * Input arguments for a downloaded still image: the image2 demuxer forced (no probing into playlists or
 * other demuxers) and local files only.
 */
export function imageInputArgs(path: string, inputOptions: readonly string[] = []): string[] {
  if (!/\.(jpg|png|webp)$/.test(path)) throw new InputFetchError('input image is not a JPEG, PNG or WebP');
  return ['-protocol_whitelist', 'file', ...inputOptions, '-f', 'image2', '-i', `file:${resolve(path)}`];
}

/** Runs the bundled ffmpeg with the common quiet flags, writing `outputPath` (given as a `file:` target). */
export async function ffmpeg(
  args: readonly string[],
  outputPath: string,
  signal: AbortSignal,
): Promise<string> {
  await runBinary(ffmpegPath(), [...FFMPEG_COMMON_ARGS, ...args, outputArg(outputPath)], {
    signal,
    timeoutMs: 120_000,
  });
  return outputPath;
}

/** A number input within [min, max], or the fallback. */
export function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** A stable small integer from a text (e.g. a prompt), to vary outputs per input. */
export function textHash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
