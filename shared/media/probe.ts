import { stat } from 'node:fs/promises';
import * as z from 'zod/mini';
import { findTruncation } from './container-truncation.ts';
import { InvalidMediaError } from './errors.ts';
import { runFfprobe } from './ffprobe.ts';
import { ACCEPTED_FORMAT_NAMES, safeInputArgs } from './input-safety.ts';
import type { MediaRunOptions } from './run.ts';
import { sniffFile } from './sniff-container.ts';

export interface VideoProbe {
  /** ffprobe's demuxer name: `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`. */
  formatName: string;
  durationMs: number;
  /** Display size: already swapped for phone videos stored sideways with a 90°/270° rotation flag. */
  width: number;
  height: number;
  /** ffmpeg codec name, e.g. `h264`, `hevc`, `vp9`. */
  videoCodec: string;
  hasAudio: boolean;
  sizeBytes: number;
  /** Average frames per second of the video track, when the container says (undefined otherwise). */
  frameRate?: number;
  /**
   * High dynamic range, from the track's transfer function: `hlg` (ARIB STD-B67: iPhones' default
   * "HDR Video") or `pq` (SMPTE ST 2084: HDR10, HDR10+). Undefined for SDR.
   */
  hdr?: HdrTransfer;
}

export type HdrTransfer = 'hlg' | 'pq';
const HDR_TRANSFERS: Record<string, HdrTransfer> = { 'arib-std-b67': 'hlg', smpte2084: 'pq' };

/**
 * If the packets stop earlier than the container's declared duration by more than this, the file was cut
 * short (an interrupted upload). In an intact file they end within a frame of it; the 10% / 0.5 s slack is
 * for audio priming and edit lists, the 0.1 s floor for very short clips.
 */
function truncationToleranceS(declaredS: number): number {
  return Math.min(0.5, Math.max(0.1, declaredS * 0.1));
}
const PROBE_TIMEOUT_MS = 30_000;

const optionalNumber = z.optional(z.union([z.number(), z.string()]));

const ffprobeOutput = z.object({
  format: z.optional(
    z.object({
      format_name: z.optional(z.string()),
      duration: z.optional(z.string()),
      start_time: optionalNumber,
    }),
  ),
  streams: z._default(
    z.array(
      z.object({
        codec_type: z.optional(z.string()),
        codec_name: z.optional(z.string()),
        width: z.optional(z.number()),
        height: z.optional(z.number()),
        avg_frame_rate: z.optional(z.string()),
        color_transfer: z.optional(z.string()),
        disposition: z.optional(z.object({ attached_pic: z.optional(z.number()) })),
        tags: z.optional(z.object({ rotate: z.optional(z.string()) })),
        side_data_list: z.optional(z.array(z.object({ rotation: optionalNumber }))),
      }),
    ),
    [],
  ),
  packets: z._default(
    z.array(
      z.object({ stream_index: z.number(), pts_time: z.optional(z.string()), duration_time: optionalNumber }),
    ),
    [],
  ),
});
type FfprobeStream = z.infer<typeof ffprobeOutput>['streams'][number];

/** A number from ffprobe JSON (`"3.000000"`, or `"N/A"` when unknown), or undefined. */
function num(value: string | number | undefined): number | undefined {
  const n = typeof value === 'number' ? value : Number.parseFloat(value ?? '');
  return Number.isFinite(n) ? n : undefined;
}

/** `30000/1001` → 29.97; `0/0` (unknown) → undefined. */
function rate(value: string | undefined): number | undefined {
  const [num_, den] = (value ?? '').split('/').map(Number);
  if (!num_ || !den || !Number.isFinite(num_ / den)) return undefined;
  return num_ / den;
}

/** Clockwise-or-not does not matter here: only whether width and height are swapped on display. */
function isSideways(stream: FfprobeStream): boolean {
  const rotation =
    num(stream.side_data_list?.find((s) => s.rotation !== undefined)?.rotation) ?? num(stream.tags?.rotate);
  return rotation !== undefined && Math.abs(Math.round(rotation)) % 180 === 90;
}

/**
 * Validates an UNTRUSTED upload and reads what the pipeline needs. Throws InvalidMediaError (with a
 * machine reason) for anything we will not process, MediaProcessError if ffprobe itself failed to run
 * (timeout, missing binary), and the fs error if the path does not exist.
 *
 * Order matters for safety: magic bytes first (text, playlists and images never reach ffprobe), then
 * ffprobe restricted to our demuxers and to local-file access.
 * Truncated uploads are caught twice, because an mp4 with its index at the front still "opens" fine when
 * most of its data is missing: declared container sizes vs the file size, then the packets (ffprobe
 * demuxes all of them without decoding: ~40 ms for a 60 MB 1080p file) vs the declared duration.
 */
export async function probeVideo(filePath: string, options: MediaRunOptions = {}): Promise<VideoProbe> {
  const info = await stat(filePath);
  if (!info.isFile()) throw new InvalidMediaError('not_a_video', 'Not a regular file');
  if (info.size === 0) throw new InvalidMediaError('not_a_video', 'The file is empty');

  const container = await sniffFile(filePath);
  if (container === 'unknown') throw new InvalidMediaError('not_a_video', 'The file is not a video');
  if (container !== 'isobmff' && container !== 'matroska') {
    throw new InvalidMediaError('unsupported_format', `Unsupported video container (${container})`);
  }

  const truncated = await findTruncation(filePath, container);
  if (truncated) {
    throw new InvalidMediaError('corrupt', `The video file is incomplete (${truncated} cut short)`);
  }

  // The magic bytes said mp4/mkv but ffprobe cannot open it: e.g. an mp4 cut off before its index.
  const stdout = await runFfprobe(
    [
      'format=format_name,duration,start_time',
      'stream=codec_type,codec_name,width,height,avg_frame_rate,color_transfer',
      'stream_disposition=attached_pic',
      'stream_tags=rotate', // ffmpeg < 5 reports rotation here
      'stream_side_data=rotation', // ffmpeg >= 5 reports it here
      'packet=stream_index,pts_time,duration_time',
    ].join(':'),
    safeInputArgs(filePath),
    'The video file is damaged or incomplete',
    { timeoutMs: PROBE_TIMEOUT_MS, ...options },
  );

  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new InvalidMediaError('corrupt', 'Unreadable media information');
  }
  const parsed = ffprobeOutput.safeParse(json);
  if (!parsed.success) throw new InvalidMediaError('corrupt', 'Unreadable media information');
  const { format, streams, packets } = parsed.data;

  // Belt and braces: the whitelist already refused other demuxers.
  const formatName = format?.format_name ?? '';
  if (!ACCEPTED_FORMAT_NAMES.has(formatName)) {
    throw new InvalidMediaError(
      'unsupported_format',
      `Unsupported video container (${formatName || 'unknown'})`,
    );
  }

  // An mp4 cut off inside its index opens "fine" with no streams at all.
  if (streams.length === 0) throw new InvalidMediaError('corrupt', 'The video file is damaged or incomplete');
  // Cover art in an audio file shows up as a one-frame "video" stream: not a video.
  const videoIndex = streams.findIndex((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const video = streams[videoIndex];
  if (!video) throw new InvalidMediaError('no_video_stream', 'The file has no video track');
  if (!video.width || !video.height || !video.codec_name) {
    throw new InvalidMediaError('corrupt', 'The video track has no usable frames');
  }

  let mediaEnd: number | undefined;
  let videoPackets = 0;
  for (const packet of packets) {
    const pts = num(packet.pts_time);
    if (pts === undefined) continue;
    if (packet.stream_index === videoIndex) videoPackets++;
    const end = pts + (num(packet.duration_time) ?? 0);
    mediaEnd = mediaEnd === undefined ? end : Math.max(mediaEnd, end);
  }
  if (videoPackets === 0 || mediaEnd === undefined) {
    throw new InvalidMediaError('corrupt', 'The video track has no usable frames');
  }
  const mediaDuration = mediaEnd - (num(format?.start_time) ?? 0);
  const declared = num(format?.duration);
  if (declared !== undefined && mediaDuration < declared - truncationToleranceS(declared)) {
    throw new InvalidMediaError(
      'corrupt',
      `The video file is incomplete (data ends at ${mediaDuration.toFixed(1)} s of ${declared.toFixed(1)} s)`,
    );
  }
  // Browser MediaRecorder WebM has no duration in its header: the packets are the truth then.
  const durationMs = Math.round((declared ?? mediaDuration) * 1000);
  if (durationMs <= 0) throw new InvalidMediaError('corrupt', 'The video has no duration');

  const sideways = isSideways(video);
  return {
    formatName,
    durationMs,
    width: sideways ? video.height : video.width,
    height: sideways ? video.width : video.height,
    videoCodec: video.codec_name,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
    sizeBytes: info.size,
    frameRate: rate(video.avg_frame_rate),
    hdr: HDR_TRANSFERS[video.color_transfer ?? ''],
  };
}
