import { readFile, rm } from 'node:fs/promises';
import { ffmpegPath } from './binaries.ts';
import { MediaProcessError } from './errors.ts';
import { FFMPEG_COMMON_ARGS, fitWidthFilter, outputArg, safeInputArgs, secondsArg } from './input-safety.ts';
import { readJpegSize } from './jpeg-size.ts';
import { type MediaRunOptions, runBinary } from './run.ts';

export interface ExtractFrameOptions extends MediaRunOptions {
  /** Position of the frame. Negative means 0. */
  atMs: number;
  /** Where to write the JPEG (overwritten). */
  outPath: string;
  /** Scale down (never up) so the width is at most this; aspect kept, dimensions even. */
  maxWidth?: number;
  /** The video's duration from probeVideo. Pass it so a position at or past the end is clamped cheaply. */
  durationMs?: number;
}

export interface ExtractedFrame {
  width: number;
  height: number;
  sizeBytes: number;
}

/** Clamp target this far before the declared end: the last frame starts one frame duration before it. */
const END_MARGIN_MS = 100;
/** When the seek still lands after the last frame, decode this much of the tail and keep its last frame. */
const TAIL_FALLBACK_S = 5;
/** mjpeg quality scale 2 (best) .. 31: 3 is visually clean for an AI start frame at modest size. */
const JPEG_QUALITY = '3';

/**
 * Writes one JPEG of the video at `atMs` (upright: ffmpeg applies the rotation flag of phone videos).
 *
 * Past the end: with `durationMs`, `atMs` is clamped to `durationMs - 100 ms`. If there is still no frame
 * there (no `durationMs` given, low frame rate, audio longer than video), the last frame of the video is
 * written instead. So any `atMs` >= the video length yields (about) the last frame, never an error.
 * The input is treated as untrusted (same demuxer/protocol whitelists as probeVideo), but probe it first.
 */
export async function extractFrame(inputPath: string, options: ExtractFrameOptions): Promise<ExtractedFrame> {
  const { outPath, maxWidth = 720, durationMs, ...run } = options;
  if (!Number.isFinite(options.atMs)) throw new RangeError('atMs must be a finite number');
  if (!Number.isInteger(maxWidth) || maxWidth < 2) throw new RangeError('maxWidth must be an integer >= 2');
  let atMs = Math.max(0, options.atMs);
  if (durationMs !== undefined) atMs = Math.min(atMs, Math.max(0, durationMs - END_MARGIN_MS));

  const outputArgs = [
    '-map',
    '0:v:0',
    '-vf',
    fitWidthFilter(maxWidth),
    '-q:v',
    JPEG_QUALITY,
    '-f',
    'image2',
    '-c:v',
    'mjpeg',
  ];

  // A seek past the last frame makes ffmpeg exit 0 without writing anything, and a stale file would
  // look like success: start from no file.
  await rm(outPath, { force: true });
  // -ss before -i: seek in the demuxer (fast, from the nearest keyframe), then decode up to the exact time.
  await runBinary(
    ffmpegPath(),
    [
      ...FFMPEG_COMMON_ARGS,
      ...safeInputArgs(inputPath, ['-ss', secondsArg(atMs)]),
      ...outputArgs,
      '-frames:v',
      '1',
      outputArg(outPath),
    ],
    run,
  );
  let bytes = await readFile(outPath).catch(() => undefined);

  if (!bytes?.length) {
    // `-update 1` keeps overwriting the one output file, so what remains is the final decoded frame.
    await runBinary(
      ffmpegPath(),
      [
        ...FFMPEG_COMMON_ARGS,
        ...safeInputArgs(inputPath, ['-sseof', `-${TAIL_FALLBACK_S}`]),
        ...outputArgs,
        '-update',
        '1',
        outputArg(outPath),
      ],
      run,
    );
    bytes = await readFile(outPath).catch(() => undefined);
  }

  const size = bytes && readJpegSize(bytes);
  if (!bytes || !size) {
    await rm(outPath, { force: true });
    throw new MediaProcessError('no_output', 'ffmpeg produced no frame');
  }
  return { ...size, sizeBytes: bytes.length };
}
