import type { DbOrTrx } from '../db/client.ts';
import type { VideoStatus } from '../db/schema.ts';
import { moveVideoMedia, removeVideoMedia } from '../videos/media.ts';

/** Restores and releases put media back where their visibility says (loaded with the rest of this). */
export { placeVideoMedia } from '../videos/media.ts';

interface ModeratedMedia {
  id: string;
  status: VideoStatus;
  removed_at: Date | null;
  visibility: 'public' | 'private';
  media_rev: number;
  playback_key: string | null;
  poster_key: string | null;
  preview_key: string | null;
}

/**
 * A takedown hides a video's media too: public media (CDN URLs anyone may have kept) move to the
 * private prefix as a new revision, inside the takedown's transaction. Returns what to run once it
 * has committed: delete the public revision and invalidate its CDN paths (shared/videos/media.ts).
 */
export function hideTakenDownMedia(trx: DbOrTrx, video: ModeratedMedia) {
  return moveVideoMedia(trx, video, 'private');
}

/**
 * THE one place a final takedown deletes a video's media: every object removeVideoMedia knows
 * (inbox object, every revision, originals, strips, clips) and the CDN invalidation. Idempotent.
 */
export function removeTakenDownVideoMedia(db: DbOrTrx, video: { id: string }): Promise<void> {
  return removeVideoMedia(db, video.id);
}
