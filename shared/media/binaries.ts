import { createRequire } from 'node:module';

// A bound `require` (not the free identifier) so esbuild never tries to bundle the 70-80 MB binaries:
// in Lambda the ffmpeg layer provides them and FFMPEG_PATH / FFPROBE_PATH point at /opt/bin/*.
const requireFromHere = createRequire(import.meta.url);

/**
 * Path of the ffmpeg binary: `FFMPEG_PATH` if set, else @ffmpeg-installer/ffmpeg (local dev and tests).
 * Resolved on every call (cheap) so importing this module never throws and tests can override the env.
 */
export function ffmpegPath(): string {
  return process.env.FFMPEG_PATH || (requireFromHere('@ffmpeg-installer/ffmpeg') as { path: string }).path;
}

/** Path of the ffprobe binary: `FFPROBE_PATH` if set, else @ffprobe-installer/ffprobe. */
export function ffprobePath(): string {
  return process.env.FFPROBE_PATH || (requireFromHere('@ffprobe-installer/ffprobe') as { path: string }).path;
}
