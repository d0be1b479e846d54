import { TIMELINE_COUNT_MAX, TIMELINE_COUNT_MIN } from './rules.ts';

/** Everything the studio writes lives under these prefixes (the studio Lambda's S3 grants follow them). */
export const STUDIO_TIMELINE_PREFIX = 'studio/timeline/';
export const STUDIO_CLIPS_PREFIX = 'studio/clips/';

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
