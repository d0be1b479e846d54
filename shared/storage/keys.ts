import { TIMELINE_COUNT_MAX, TIMELINE_COUNT_MIN } from '../studio/rules.ts';

/**
 * Every object key in the media bucket, built here and only here (never chosen by a client).
 * The prefixes are contracts between Lambdas: infra/ grants S3 access and wires bucket events
 * by them, so each says who writes it and which event, if any, it triggers.
 */

/**
 * Uploaded videos and AI video outputs. ObjectCreated here invokes the process-upload worker
 * (infra/media.ts): writing an object under this prefix is how a video becomes `ready`.
 */
export const UPLOADS_PREFIX = 'uploads/';
/** Poster frames written by process-upload. No event. */
export const THUMBNAILS_PREFIX = 'thumbnails/';
/** Character images (presigned PUT), captured frames and AI music outputs. No event. */
export const ASSETS_PREFIX = 'assets/';
/** Studio scrubbing strips and their manifests. No event. */
export const STUDIO_TIMELINE_PREFIX = 'studio/timeline/';
/** Studio range cuts (the ≤10 s clips glitches are made from). No event. */
export const STUDIO_CLIPS_PREFIX = 'studio/clips/';
/** Every prefix above: the keys this app writes, and so the only ones it ever probes for existence. */
export const OWN_PREFIXES: readonly string[] = [
  UPLOADS_PREFIX,
  THUMBNAILS_PREFIX,
  ASSETS_PREFIX,
  STUDIO_TIMELINE_PREFIX,
  STUDIO_CLIPS_PREFIX,
];

export const VIDEO_TYPES = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
} as const;
export type VideoContentType = keyof typeof VIDEO_TYPES;

export function videoUploadKey(userId: string, videoId: string, contentType: VideoContentType): string {
  return `${UPLOADS_PREFIX}${userId}/${videoId}.${VIDEO_TYPES[contentType]}`;
}

/** An AI job's video output: under uploads/, so it goes through process-upload like any upload. */
export function aiVideoKey(job: { id: string; user_id: string }): string {
  return `${UPLOADS_PREFIX}${job.user_id}/${job.id}.mp4`;
}

export function thumbnailKey(videoId: string): string {
  return `${THUMBNAILS_PREFIX}${videoId}.jpg`;
}

export function assetKey(userId: string, assetId: string, ext: string): string {
  return `${ASSETS_PREFIX}${userId}/${assetId}.${ext}`;
}

/** An AI job's audio output (music). */
export function aiAudioKey(job: { id: string; user_id: string }): string {
  return assetKey(job.user_id, job.id, 'audio');
}

/** Frame `index` of the `count`-frame strip of a video. */
export function timelineFrameKey(videoId: string, count: number, index: number): string {
  return `${STUDIO_TIMELINE_PREFIX}${videoId}/${count}/${index}.jpg`;
}

/** Written after every frame of its strip: its presence means the strip is complete. */
export function timelineManifestKey(videoId: string, count: number): string {
  return `${STUDIO_TIMELINE_PREFIX}${videoId}/${count}/manifest.json`;
}

export function selectionClipKey(selectionId: string): string {
  return `${STUDIO_CLIPS_PREFIX}${selectionId}.mp4`;
}

/**
 * Every key a video's timeline strips can have (a few hundred), so removing a video's strips
 * needs only DeleteObjects, not a ListBucket permission.
 */
export function allTimelineKeys(videoId: string): string[] {
  const keys: string[] = [];
  for (let count = TIMELINE_COUNT_MIN; count <= TIMELINE_COUNT_MAX; count++) {
    keys.push(timelineManifestKey(videoId, count));
    for (let i = 0; i < count; i++) keys.push(timelineFrameKey(videoId, count, i));
  }
  return keys;
}
