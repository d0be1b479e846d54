import { join } from 'node:path';
import type { Visibility } from '../db/schema.ts';
import {
  extractFrame,
  makePreview,
  type SoundtrackMix,
  transcodePlayback,
  type VideoProbe,
} from '../media/index.ts';
import { videoMediaKeys } from '../storage/keys.ts';
import { IMMUTABLE_CACHE_CONTROL, PRIVATE_IMMUTABLE_CACHE_CONTROL, uploadFile } from '../storage/s3.ts';

const POSTER_AT_MS = 1000;

/** Which revision of which video, and under which prefix (storage/keys.ts). */
export interface RevisionTarget {
  videoId: string;
  rev: number;
  visibility: Visibility;
}

/** The local files of one revision and the rendition's probe. */
export interface RevisionFiles {
  playback: string;
  poster: string;
  preview: string;
  probe: VideoProbe;
}

/** What a revision's row records once served. */
export interface RevisionMedia {
  duration_ms: number;
  width: number;
  height: number;
  playback_key: string;
  poster_key: string;
  preview_key: string;
}

/**
 * The upload pipeline's media, for an upload and for every later revision of a video (a soundtrack):
 * the playback rendition of a validated source (with music, if given), its poster at 1 s and its preview
 * loop, in `dir`. Throws ffmpeg's MediaProcessError; callers decide what a failure means.
 */
export async function renderRevisionFiles(
  input: string,
  dir: string,
  opts: { source: VideoProbe; signal: AbortSignal; soundtrack?: SoundtrackMix },
): Promise<RevisionFiles> {
  const { signal } = opts;
  const files = {
    playback: join(dir, 'play.mp4'),
    poster: join(dir, 'poster.jpg'),
    preview: join(dir, 'preview.mp4'),
  };
  const probe = await transcodePlayback(input, {
    source: opts.source,
    outPath: files.playback,
    soundtrack: opts.soundtrack,
    signal,
  });
  await extractFrame(files.playback, {
    atMs: Math.min(POSTER_AT_MS, Math.floor(probe.durationMs / 2)),
    durationMs: probe.durationMs,
    outPath: files.poster,
    signal,
  });
  await makePreview(files.playback, { source: probe, outPath: files.preview, signal });
  return { ...files, probe };
}

/** Uploads a revision's files to its immutable keys (public: CDN-cacheable; private: never shared). */
export async function uploadRevisionFiles(
  target: RevisionTarget,
  files: RevisionFiles,
): Promise<RevisionMedia> {
  const keys = videoMediaKeys(target.videoId, target.rev, target.visibility);
  const cache = target.visibility === 'public' ? IMMUTABLE_CACHE_CONTROL : PRIVATE_IMMUTABLE_CACHE_CONTROL;
  await Promise.all([
    uploadFile(keys.playback, files.playback, 'video/mp4', cache),
    uploadFile(keys.poster, files.poster, 'image/jpeg', cache),
    uploadFile(keys.preview, files.preview, 'video/mp4', cache),
  ]);
  return {
    duration_ms: files.probe.durationMs,
    width: files.probe.width,
    height: files.probe.height,
    playback_key: keys.playback,
    poster_key: keys.poster,
    preview_key: keys.preview,
  };
}
