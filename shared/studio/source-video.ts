import type { DbOrTrx } from '../db/client.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { revisionOfMediaKey } from '../storage/keys.ts';
import { findVisibleVideo } from '../videos/repository.ts';

/** A video the studio may work on, with the facts upload processing recorded when it became ready. */
export interface StudioSource {
  id: string;
  owner_id: string;
  allow_glitches: boolean;
  allow_frame_capture: boolean;
  /**
   * The playback rendition (≤ 720×1280, ≤ 30 fps, a keyframe every 2 s), never the original: it bounds
   * the work of strips, cuts and captures whatever was uploaded. Videos from before renditions: the upload.
   */
  media_key: string;
  /** The revision `media_key` belongs to (0 before revisions): what range previews are cached by. */
  media_rev: number;
  duration_ms: number;
  width: number;
  height: number;
}

/**
 * The studio works on videos the caller can watch: anyone's public ready video or their own.
 * Others' private, unfinished or deleted videos look missing (404); the caller's own unfinished
 * upload is 409 so the app can say "still processing".
 */
export async function requireStudioSource(
  db: DbOrTrx,
  videoId: string,
  userId: string,
): Promise<StudioSource> {
  const video = await findVisibleVideo(db, videoId, userId);
  if (!video) throw new NotFoundError('Video');
  const { duration_ms, width, height } = video;
  if (video.status !== 'ready' || duration_ms === null || width === null || height === null) {
    throw new ConflictError('The video is not ready yet', { status: video.status }, 'video_not_ready');
  }
  const mediaKey = video.playback_key ?? video.source_key;
  return {
    id: video.id,
    owner_id: video.owner_id,
    allow_glitches: video.allow_glitches,
    allow_frame_capture: video.allow_frame_capture,
    media_key: mediaKey,
    media_rev: revisionOfMediaKey(mediaKey),
    duration_ms,
    width,
    height,
  };
}
