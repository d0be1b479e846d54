import { removeAssets } from '../assets/remove.ts';
import { listFramesOfVideo } from '../assets/repository.ts';
import type { DbOrTrx } from '../db/client.ts';
import type { VideoStatus, Visibility } from '../db/schema.ts';
import { invalidateCdnPaths } from '../storage/cdn.ts';
import {
  allTimelineKeys,
  isPrivateMediaKey,
  MEDIA_PREFIX,
  originalKey,
  videoCdnPaths,
  videoMediaKeys,
} from '../storage/keys.ts';
import {
  copyObject,
  deleteObjects,
  IMMUTABLE_CACHE_CONTROL,
  PRIVATE_IMMUTABLE_CACHE_CONTROL,
} from '../storage/s3.ts';
import { listClipKeysOfVideo, listPreviewKeysOfVideo, retirePreviews } from '../studio/repository.ts';
import { findVideoMediaRefs, setVideoMedia } from './repository.ts';

/**
 * Every object a video ever had, rebuilt from its row (no ListBucket needed): the inbox object,
 * every media revision up to the next one (a move whose transaction rolled back may have written it)
 * under both prefixes, every kept original, a legacy thumbnail, its studio strips, every clip cut
 * from it and every range preview made of it.
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
  keys.push(
    ...allTimelineKeys(video.id),
    ...(await listClipKeysOfVideo(db, video.id)),
    ...(await listPreviewKeysOfVideo(db, video.id)),
  );
  return keys;
}

/**
 * Removes a video's objects from the bucket and its public paths from the CDN: for deleting a video,
 * an account or a takedown that purges its media. Frames anyone captured from it go too (objects
 * and rows): they are copies of its pictures, and nothing may be made from them once it is gone.
 * Call it after the transaction that marked the video deleted has committed (the row must still
 * exist; a soft-deleted one does). Safe to repeat; throws on S3 or CloudFront errors so the caller
 * can log or retry.
 */
export async function removeVideoMedia(db: DbOrTrx, videoId: string): Promise<void> {
  const keys = await allObjectKeys(db, videoId);
  if (!keys) return;
  await deleteObjects(keys);
  await invalidateCdnPaths(videoCdnPaths(videoId));
  await removeFramesOf(db, videoId);
}

const FRAME_BATCH = 500;

async function removeFramesOf(db: DbOrTrx, videoId: string): Promise<void> {
  for (;;) {
    const frames = await listFramesOfVideo(db, videoId, FRAME_BATCH);
    await removeAssets(db, frames);
    if (frames.length < FRAME_BATCH) return;
  }
}

/**
 * Where a video's media belong: under media/ (the CDN) when public, under private/ otherwise. A
 * taken-down video's stay private whatever its visibility, until a moderator restores it, and so
 * do a held AI output's, until a moderator releases it.
 */
export function mediaVisibility(video: {
  visibility: Visibility;
  removed_at: Date | null;
  status?: VideoStatus;
}): Visibility {
  return video.removed_at || video.status === 'held' ? 'private' : video.visibility;
}

/**
 * Puts a video's media where mediaVisibility says, given the row as it is now (after a visibility
 * change, a restore or a release): moveVideoMedia to that prefix, or nothing when they are there.
 */
export function placeVideoMedia(
  trx: DbOrTrx,
  video: ServedMedia & { visibility: Visibility; removed_at: Date | null; status?: VideoStatus },
) {
  return moveVideoMedia(trx, video, mediaVisibility(video));
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
 * and records the new keys. Returns what to do once that transaction has committed (retireRevision:
 * delete the old revision and, if it was public, invalidate its CDN paths, so a link shared while it
 * was public stops working). Nothing to move for videos without media revisions (served signed from their upload).
 */
export async function moveVideoMedia(
  trx: DbOrTrx,
  video: ServedMedia,
  to: Visibility,
): Promise<((db: DbOrTrx) => Promise<void>) | undefined> {
  const { playback_key, poster_key, preview_key } = video;
  if (!playback_key || !poster_key || !preview_key) return undefined;
  // Where the media are now, read from their keys: a taken-down public video's are private.
  const from: Visibility = isPrivateMediaKey(playback_key) ? 'private' : 'public';
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
  return (db) => retireRevision(db, video, rev);
}

/**
 * After a video's served media moved to revision `servedRev` (committed): deletes the previous revision's
 * objects and the range previews of older revisions, and invalidates its CDN paths if it was public, so
 * a link to it stops working. Safe to repeat; S3 or CloudFront errors are thrown for the caller to log.
 */
export async function retireRevision(
  db: DbOrTrx,
  previous: {
    id: string;
    playback_key: string | null;
    poster_key: string | null;
    preview_key: string | null;
  },
  servedRev: number,
): Promise<void> {
  const old = [previous.playback_key, previous.poster_key, previous.preview_key].filter(
    (k): k is string => k !== null,
  );
  await deleteObjects([...old, ...(await retirePreviews(db, previous.id, servedRev))]);
  // Only revisions under media/ were ever on the CDN (a video served from its upload was signed, and a
  // taken-down public video's media are under private/): read it from the keys, not the visibility.
  if (old.some((k) => k.startsWith(MEDIA_PREFIX))) await invalidateCdnPaths(videoCdnPaths(previous.id));
}
