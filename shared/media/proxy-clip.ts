import { rangeCutArgs } from './cut-clip.ts';
import { encodeMp4 } from './encode-mp4.ts';
import { fitWidthFilter } from './input-safety.ts';
import type { VideoProbe } from './probe.ts';
import type { MediaRunOptions } from './run.ts';

/** The studio's range preview: small enough to start at once on a phone scrubbing a range. */
export const PROXY_CLIP = {
  maxWidth: 360,
  crf: 28,
  maxrateKbps: 600,
  audioKbps: 64,
  /** ultrafast: the clip is made while someone waits, and thrown away with its revision. */
  preset: 'ultrafast',
} as const;

export interface ProxyClipOptions extends MediaRunOptions {
  startMs: number;
  endMs: number;
  outPath: string;
}

/**
 * [startMs, endMs) of a rendition as a low-resolution H.264/AAC mp4 (≤ 360 px wide, index first):
 * frame-accurate (input seek + re-encode), with the sound (a soundtrack is half of what is previewed).
 * Nothing in range (a start past the last frame) is MediaProcessError('no_output').
 */
export async function makeProxyClip(inputPath: string, options: ProxyClipOptions): Promise<VideoProbe> {
  const { startMs, endMs, outPath, ...run } = options;
  const range = rangeCutArgs(startMs, endMs);
  return encodeMp4(inputPath, outPath, {
    label: 'range preview',
    run,
    inputOptions: range.inputOptions,
    outputArgs: [
      ...range.outputArgs,
      '-vf',
      // The rendition is already ≤ 30 fps: only the size changes.
      fitWidthFilter(PROXY_CLIP.maxWidth),
      '-c:v',
      'libx264',
      '-preset',
      PROXY_CLIP.preset,
      '-crf',
      String(PROXY_CLIP.crf),
      '-maxrate',
      `${PROXY_CLIP.maxrateKbps}k`,
      '-bufsize',
      `${PROXY_CLIP.maxrateKbps * 2}k`,
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      `${PROXY_CLIP.audioKbps}k`,
      '-ac',
      '2',
    ],
  });
}
