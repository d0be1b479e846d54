import { encodeMp4 } from './encode-mp4.ts';
import { secondsArg } from './input-safety.ts';
import type { HdrTransfer, VideoProbe } from './probe.ts';
import type { MediaRunOptions } from './run.ts';
import { type SoundtrackMix, soundtrackArgs } from './soundtrack.ts';

/**
 * The playback rendition every client plays (README "Media"): H.264 High + AAC in an mp4 with its
 * index up front, fitted into 720×1280 (either orientation), at most 30 fps, about 2–2.5 Mbit/s.
 * Phones start it at once and any player decodes it; its size bounds everything done with it later
 * (studio strips and cuts, frame captures).
 */
export const RENDITION = {
  /** Longer and shorter side of the box the picture is fitted into, aspect kept. */
  maxLongSide: 1280,
  maxShortSide: 720,
  maxFps: 30,
  /** Constant quality, capped by maxrate over a 2 s buffer: simple scenes stay small. */
  crf: 23,
  maxrateKbps: 2500,
  bufsizeKbps: 5000,
  /** One keyframe every 2 s at 30 fps: seeks (studio cuts, players) decode at most 2 s. */
  gop: 60,
  audioKbps: 128,
  /** veryfast: 30% less CPU than `faster` for the same quality cap (BENCHMARKS.md "Media"). */
  preset: 'veryfast',
} as const;

/** The animated grid preview: a short silent loop, a quarter of the rendition's pixels. */
export const PREVIEW = {
  seconds: 2.5,
  maxLongSide: 640,
  maxShortSide: 360,
  fps: 15,
  crf: 30,
  maxrateKbps: 400,
} as const;

export interface Size {
  width: number;
  height: number;
}

/** Even, ≥ 2: libx264's 4:2:0 needs even dimensions. */
const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/**
 * `size` scaled down (never up) to fit a box of `longSide`×`shortSide` in its own orientation, aspect
 * kept, both sides even. 1920×1080 → 1280×720, 1080×1920 → 720×1280, 640×360 → 640×360.
 */
export function fitInto(size: Size, longSide: number, shortSide: number): Size {
  const landscape = size.width >= size.height;
  const [boxW, boxH] = landscape ? [longSide, shortSide] : [shortSide, longSide];
  const scale = Math.min(1, boxW / size.width, boxH / size.height);
  return { width: even(size.width * scale), height: even(size.height * scale) };
}

/**
 * HDR to SDR for the rendition (BT.2408's mapping): decode the transfer to linear light with HDR
 * reference white (203 cd/m²) at 1.0, so SDR-range content keeps its levels, convert BT.2020
 * primaries to BT.709, compress only what is brighter than reference white (Möbius: linear below
 * its knee, no desaturation), and encode with BT.709's transfer. Without it, 10-bit HDR squeezed
 * into 8-bit plays washed out and grey on every SDR screen.
 */
export function hdrToSdrFilter(hdr: HdrTransfer): string {
  const transfer = hdr === 'hlg' ? 'arib-std-b67' : 'smpte2084';
  return [
    `zscale=tin=${transfer}:pin=2020:min=2020_ncl:rin=tv:t=linear:npl=203:p=2020:m=2020_ncl`,
    'format=gbrpf32le',
    'zscale=tin=linear:pin=2020:min=gbr:t=linear:p=709:m=gbr:npl=203',
    'tonemap=tonemap=mobius:desat=0',
    // zscale itself makes the 8-bit 4:2:0 with BT.709's matrix (a later -pix_fmt would use swscale's BT.601).
    'zscale=tin=linear:pin=709:min=gbr:t=709:p=709:m=709:r=tv:npl=203',
    'format=yuv420p',
  ].join(',');
}

/** The rendition says what it is (BT.709 SDR), so players don't guess from the size. */
const BT709_TAGS = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'];

export interface RenditionOptions extends MediaRunOptions {
  /** The probe of the (validated) input: its display size, frame rate and audio decide the arguments. */
  source: VideoProbe;
  outPath: string;
  /** Music to put on the video instead of (or under) its own sound: a soundtrack revision. */
  soundtrack?: SoundtrackMix;
}

/**
 * Transcodes a validated upload into the playback rendition and returns the rendition's probe.
 * Metadata (GPS, device names) is dropped; a silent source stays silent unless a soundtrack is given.
 */
export async function transcodePlayback(inputPath: string, options: RenditionOptions): Promise<VideoProbe> {
  const { source, outPath, soundtrack, ...run } = options;
  const size = fitInto(source, RENDITION.maxLongSide, RENDITION.maxShortSide);
  const filters = [`scale=${size.width}:${size.height}`];
  // Only ever fewer frames: a 24 fps film stays 24 fps.
  if ((source.frameRate ?? 0) > RENDITION.maxFps + 0.5) filters.push(`fps=${RENDITION.maxFps}`);
  // Last, on the fewest pixels and frames: it is the slowest step (single-threaded float work,
  // about 3× an SDR transcode's time; README "Media").
  if (source.hdr) filters.push(hdrToSdrFilter(source.hdr));
  const aac = ['-c:a', 'aac', '-b:a', `${RENDITION.audioKbps}k`, '-ac', '2'];
  const music = soundtrack && soundtrackArgs(source, soundtrack);
  const audio = music ? [...music.audioArgs, ...aac] : source.hasAudio ? ['-map', '0:a:0', ...aac] : ['-an'];
  return encodeMp4(inputPath, outPath, {
    label: 'transcode',
    run,
    extraInputs: music?.inputArgs,
    outputArgs: [
      '-map',
      '0:v:0',
      ...audio,
      '-map_metadata',
      '-1',
      '-vf',
      filters.join(','),
      ...h264(RENDITION.preset, RENDITION.crf, RENDITION.maxrateKbps, RENDITION.bufsizeKbps),
      '-profile:v',
      'high',
      '-g',
      String(RENDITION.gop),
      ...(source.hdr ? BT709_TAGS : []),
    ],
  });
}

export interface PreviewOptions extends MediaRunOptions {
  /** Probe of the input (the rendition). */
  source: VideoProbe;
  outPath: string;
}

/** The first PREVIEW.seconds of `inputPath` as a small silent mp4 loop. */
export async function makePreview(inputPath: string, options: PreviewOptions): Promise<VideoProbe> {
  const { source, outPath, ...run } = options;
  const size = fitInto(source, PREVIEW.maxLongSide, PREVIEW.maxShortSide);
  return encodeMp4(inputPath, outPath, {
    label: 'preview',
    run,
    inputOptions: ['-t', secondsArg(PREVIEW.seconds * 1000)],
    outputArgs: [
      '-map',
      '0:v:0',
      '-an',
      '-map_metadata',
      '-1',
      '-vf',
      `scale=${size.width}:${size.height},fps=${PREVIEW.fps}`,
      ...h264(RENDITION.preset, PREVIEW.crf, PREVIEW.maxrateKbps, PREVIEW.maxrateKbps * 2),
    ],
  });
}

function h264(preset: string, crf: number, maxrateKbps: number, bufsizeKbps: number): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-crf',
    String(crf),
    '-maxrate',
    `${maxrateKbps}k`,
    '-bufsize',
    `${bufsizeKbps}k`,
    // 4:2:0 8-bit plays everywhere (phones may record 10-bit HDR).
    '-pix_fmt',
    'yuv420p',
  ];
}
