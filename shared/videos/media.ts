import type { DbOrTrx } from '../db/client.ts';
import type { Visibility } from '../db/schema.ts';
import { invalidateCdnPaths } from '../storage/cdn.ts';
import {
  allTimelineKeys,
  originalKey,
  PRIVATE_MEDIA_PREFIX,
  videoCdnPaths,
  videoMediaKeys,
} from '../storage/keys.ts';
import {
  copyObject,
  deleteObjects,
  IMMUTABLE_CACHE_CONTROL,
  PRIVATE_IMMUTABLE_CACHE_CONTROL,
} from '../storage/s3.ts';
import { listClipKeysOfVideo } from '../studio/repository.ts';
import { findVideoMediaRefs, setVideoMedia } from './repository.ts';

/**
 * Every object a video ever had, rebuilt from its row (no ListBucket needed): the inbox object,
 * every media revision up to the next one (a move whose transaction rolled back may have written it)
 * under both prefixes, every kept original, a legacy thumbnail, its studio strips and every clip cut
 * from it.
 */
async function allObjectKeys(db: DbOrTrx, videoId: string): Promise<string[] | null> {
  const video = await findVideoMediaRefs(db, videoId);
  if (!video) return null;
  const keys = [video.source_key, video.thumbnail_key ?? ''];
  for (let rev = 1; rev <= video.media_rev + 1; rev++) {
    for (const visibility of ['public', 'private'] as const) {
      keys.push(...Object.values(videoMediaKeys(video.id, rev, visibility)));
    }
    keys.push(originalKey(video.id, rev, video.content_type));
  }
  keys.push(...allTimelineKeys(video.id), ...(await listClipKeysOfVideo(db, video.id)));
  return keys;
}

/**
 * Removes a video's objects from the bucket and its public paths from the CDN: for deleting a video,
 * an account or a takedown. Call it after the transaction that marked the video deleted has
 * committed (the row must still exist; a soft-deleted one does). Safe to repeat; throws on S3 or
 * CloudFront errors so the caller can log or retry.
 */
export async function removeVideoMedia(db: DbOrTrx, videoId: string): Promise<void> {
  const keys = await allObjectKeys(db, videoId);
  if (!keys) return;
  await deleteObjects(keys);
  await invalidateCdnPaths(videoCdnPaths(videoId));
}

interface ServedMedia {
  id: string;
  media_rev: number;
  playback_key: string | null;
  poster_key: string | null;
  preview_key: string | null;
}

/**
 * A ready video changing visibility (or being taken down or restored) takes its media to the other
 * prefix, as a new revision: public media are behind the CDN, private ones only ever signed. Call inside the transaction that changes
 * the visibility, on the row locked FOR UPDATE; it copies (server-side, no bytes through the Lambda)
 * and records the new keys. Returns what to do once that transaction has committed: delete the old
 * revision and, if it was public, invalidate its CDN paths, so a link shared while it was public stops
 * working. Nothing to move for videos without media revisions (served signed from their upload).
 */
export async function moveVideoMedia(
  trx: DbOrTrx,
  video: ServedMedia,
  to: Visibility,
): Promise<(() => Promise<void>) | undefined> {
  const { playback_key, poster_key, preview_key } = video;
  if (!playback_key || !poster_key || !preview_key) return undefined;
  // Where the media are now, read from their keys: a taken-down public video's are private.
  const from: Visibility = playback_key.startsWith(PRIVATE_MEDIA_PREFIX) ? 'private' : 'public';
  if (to === from) return undefined;
  const rev = video.media_rev + 1;
  const next = videoMediaKeys(video.id, rev, to);
  const cache = to === 'public' ? IMMUTABLE_CACHE_CONTROL : PRIVATE_IMMUTABLE_CACHE_CONTROL;
  await Promise.all([
    copyObject(playback_key, next.playback, cache),
    copyObject(poster_key, next.poster, cache),
    copyObject(preview_key, next.preview, cache),
  ]);
  await setVideoMedia(trx, video.id, {
    media_rev: rev,
    playback_key: next.playback,
    poster_key: next.poster,
    preview_key: next.preview,
  });
  return async () => {
    await deleteObjects([playback_key, poster_key, preview_key]);
    if (from === 'public') await invalidateCdnPaths(videoCdnPaths(video.id));
  };
}
