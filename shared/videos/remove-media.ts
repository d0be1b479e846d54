import { allTimelineKeys } from '../storage/keys.ts';
import { deleteObjects } from '../storage/s3.ts';

/** S3's DeleteObjects takes at most 1000 keys per call. */
const DELETE_BATCH = 1000;

/**
 * Removes every object a video has in the bucket: the upload, its poster frame, its studio
 * timeline strips and the studio clips cut from it. Idempotent (deleting a missing key is not an
 * error), so a retried account deletion may call it again. The one place that knows a video's
 * objects: the media pipeline's layout (and a CDN invalidation) changes here only.
 */
export async function removeVideoMedia(video: {
  id: string;
  source_key: string;
  thumbnail_key: string | null;
  /** Keys of studio clips cut from this video (studio_selections.clip_key). */
  clip_keys: readonly string[];
}): Promise<void> {
  const keys = [
    video.source_key,
    ...(video.thumbnail_key ? [video.thumbnail_key] : []),
    ...allTimelineKeys(video.id),
    ...video.clip_keys,
  ];
  for (let i = 0; i < keys.length; i += DELETE_BATCH) await deleteObjects(keys.slice(i, i + DELETE_BATCH));
}
