import { resolve } from 'node:path';

/**
 * Demuxers we accept: the ISO-BMFF family (mp4, mov, 3gp...) and Matroska/WebM. ffmpeg names them as a
 * group; `format_name` in ffprobe output is one of ACCEPTED_FORMAT_NAMES.
 */
export const ACCEPTED_DEMUXERS = ['mov', 'mp4', 'm4a', '3gp', '3g2', 'mj2', 'matroska', 'webm'] as const;
export const ACCEPTED_FORMAT_NAMES: ReadonlySet<string> = new Set([
  'mov,mp4,m4a,3gp,3g2,mj2',
  'matroska,webm',
]);

/**
 * Input options + `-i` for an untrusted file. Both whitelists exist in ffmpeg 4.1 and ffprobe 5.2 and must
 * precede EVERY `-i` (they are per-input options):
 * - `-format_whitelist` refuses any other demuxer before it reads a byte of payload, in particular `hls` and
 *   `concat`, whose playlists would make ffmpeg open other local files (ffmpeg 4.1 happily detects an HLS
 *   playlist named `.mp4` as HLS; verified in test/shared/media/input-safety.test.ts).
 * - `-protocol_whitelist file` means even a demuxer that follows references can only reach local files,
 *   never the network. (mov `dref` external references stay disabled: `enable_drefs` defaults to 0.)
 * The `file:` prefix stops a path containing `:` (or starting with `-`) being read as a protocol or option.
 */
export function safeInputArgs(filePath: string, inputOptions: readonly string[] = []): string[] {
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    ACCEPTED_DEMUXERS.join(','),
    ...inputOptions,
    '-i',
    `file:${resolve(filePath)}`,
  ];
}

/** Output target with the same `file:` protection. */
export function outputArg(filePath: string): string {
  return `file:${resolve(filePath)}`;
}

/**
 * Milliseconds as an ffmpeg time in seconds. Always `0.150`, never `.15`: ffmpeg 4.1 rejects a time without
 * the leading zero ("Invalid duration specification").
 */
export function secondsArg(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * Scale filter: width at most `maxWidth` (never upscaled), height from the aspect ratio; both even, which
 * yuv420p encoders (libx264) require. Runs after ffmpeg's autorotation, so `iw` is the upright width.
 */
export function fitWidthFilter(maxWidth: number): string {
  return `scale=w='trunc(min(iw,${maxWidth})/2)*2':h=-2`;
}

/** Arguments every ffmpeg run starts with: quiet, no prompts, overwrite outputs. */
export const FFMPEG_COMMON_ARGS = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'] as const;
