import { encodeMp4 } from './encode-mp4.ts';
import { secondsArg } from './input-safety.ts';
import type { VideoProbe } from './probe.ts';
import type { MediaRunOptions } from './run.ts';

export interface CutClipOptions extends MediaRunOptions {
  startMs: number;
  endMs: number;
  /** Where to write the mp4 (overwritten). */
  outPath: string;
}

const CUT_TIMEOUT_MS = 120_000;

/**
 * What every cut of [startMs, endMs) shares (studio clips, range previews): the range checked, the seek
 * before `-i` (with re-encoding, frame-accurate in ffmpeg >= 2.1, and it skips decoding the lead-in), the
 * length, the first video and audio streams, and the user's metadata dropped.
 */
export function rangeCutArgs(
  startMs: number,
  endMs: number,
): { inputOptions: string[]; outputArgs: string[] } {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || startMs < 0 || endMs <= startMs) {
    throw new RangeError(`Invalid clip range ${startMs}..${endMs} ms`);
  }
  return {
    inputOptions: ['-ss', secondsArg(startMs)],
    outputArgs: [
      '-t',
      secondsArg(endMs - startMs),
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?', // `?`: no error when there is no audio track
      // Strip container/stream metadata (GPS location, device names) from the user's video.
      '-map_metadata',
      '-1',
    ],
  };
}

/**
 * Cuts [startMs, endMs) into a new H.264/AAC mp4 (audio only if the source has some) and returns the
 * probe of the result. Re-encodes rather than stream-copies: a copy can only start on a keyframe, so the
 * clip would begin up to several seconds early. A range past the end is clipped by ffmpeg; a range that
 * starts after the end fails with MediaProcessError('no_output').
 */
export async function cutClip(inputPath: string, options: CutClipOptions): Promise<VideoProbe> {
  const { startMs, endMs, outPath, ...run } = options;
  const range = rangeCutArgs(startMs, endMs);
  return encodeMp4(inputPath, outPath, {
    // Our own output is empty or unreadable: almost always a start beyond the end of the source.
    label: 'cut',
    run: { timeoutMs: CUT_TIMEOUT_MS, ...run },
    inputOptions: range.inputOptions,
    outputArgs: [
      ...range.outputArgs,
      '-vf',
      "scale=w='trunc(iw/2)*2':h='trunc(ih/2)*2'", // libx264 yuv420p needs even dimensions
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '20',
      '-pix_fmt',
      'yuv420p', // 4:2:0 8-bit plays everywhere (phones may record 10-bit HDR)
      '-c:a',
      'aac',
      '-b:a',
      '128k',
    ],
  });
}
