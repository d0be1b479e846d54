import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpegPath } from './binaries.ts';
import { MediaProcessError } from './errors.ts';
import { extractFrame } from './extract-frame.ts';
import { FFMPEG_COMMON_ARGS, fitWidthFilter, outputArg, safeInputArgs, secondsArg } from './input-safety.ts';
import { readJpegSize } from './jpeg-size.ts';
import { type MediaRunOptions, runBinary } from './run.ts';

export interface TimelineFramesOptions extends MediaRunOptions {
  /** The video's duration from probeVideo. */
  durationMs: number;
  count: number;
  /** Existing directory; files are named `frame-000.jpg`, `frame-001.jpg`... (overwritten). */
  outDir: string;
  maxWidth?: number;
}

export interface TimelineFrame {
  path: string;
  /** Position of the frame in the video. */
  atMs: number;
}

export const MAX_TIMELINE_FRAMES = 100;
/**
 * Seeks per ffmpeg process. Each seek is its own input with its own decoder: ~13 MB each for 1080p with
 * one decoding thread, so batching bounds the memory while a usual strip (<= 10) stays one process.
 */
const SEEKS_PER_PROCESS = 10;
const THUMB_QUALITY = '5';

/**
 * Timeline strip: `count` small JPEGs at evenly spaced positions, frame i at the middle of the i-th of
 * `count` equal slices, i.e. (i + 0.5) * duration / count. Middles, not edges: the first frame is often
 * black and a frame exactly at the end does not exist.
 *
 * Several `-ss X -i input` in one ffmpeg process: each seek decodes only from the nearest keyframe, which
 * beats decoding the whole video through an `fps` filter as soon as the video is longer than a few seconds
 * (30 s 1080p: 0.8 s vs 1.5 s), and yields exactly `count` frames at exactly the returned offsets.
 */
export async function captureTimelineFrames(
  inputPath: string,
  options: TimelineFramesOptions,
): Promise<TimelineFrame[]> {
  const { durationMs, count, outDir, maxWidth = 160, ...run } = options;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TIMELINE_FRAMES) {
    throw new RangeError(`count must be an integer from 1 to ${MAX_TIMELINE_FRAMES}`);
  }
  if (!Number.isFinite(durationMs) || durationMs <= 0) throw new RangeError('durationMs must be positive');
  if (!Number.isInteger(maxWidth) || maxWidth < 2) throw new RangeError('maxWidth must be an integer >= 2');

  const frames: TimelineFrame[] = Array.from({ length: count }, (_, i) => ({
    path: join(outDir, `frame-${String(i).padStart(3, '0')}.jpg`),
    atMs: Math.round(((i + 0.5) * durationMs) / count),
  }));
  await Promise.all(frames.map((f) => rm(f.path, { force: true })));

  for (let first = 0; first < count; first += SEEKS_PER_PROCESS) {
    const batch = frames.slice(first, first + SEEKS_PER_PROCESS);
    const inputs = batch.flatMap((f) =>
      safeInputArgs(inputPath, ['-threads', '1', '-ss', secondsArg(f.atMs)]),
    );
    const outputs = batch.flatMap((f, i) => [
      '-map',
      `${i}:v:0`,
      '-frames:v',
      '1',
      '-vf',
      fitWidthFilter(maxWidth),
      '-q:v',
      THUMB_QUALITY,
      '-f',
      'image2',
      '-c:v',
      'mjpeg',
      outputArg(f.path),
    ]);
    await runBinary(ffmpegPath(), [...FFMPEG_COMMON_ARGS, ...inputs, ...outputs], run);
  }

  // A position past the last frame (wrong durationMs) silently writes nothing: check every file.
  for (const frame of frames) {
    if (await isJpeg(frame.path)) continue;
    // No picture at this position: the sound outlasts the picture (durationMs is the container's,
    // i.e. the longest stream's), or the slice's middle falls after the last frame of a short clip.
    // extractFrame's fallback takes the last picture instead, as a timeline should show.
    await extractFrame(inputPath, { atMs: frame.atMs, durationMs, outPath: frame.path, maxWidth, ...run });
    if (!(await isJpeg(frame.path))) {
      throw new MediaProcessError('no_output', `No frame at ${frame.atMs} ms; is durationMs right?`);
    }
  }
  return frames;
}

async function isJpeg(path: string): Promise<boolean> {
  const bytes = await readFile(path).catch(() => undefined);
  return Boolean(bytes && readJpegSize(bytes));
}
