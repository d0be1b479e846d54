import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { removeVideoMedia } from '../videos/remove-media.ts';

/**
 * THE one place a final takedown deletes a video's media: the upload, its poster frame, its studio
 * timeline strips and the clips cut from it (account deletion's removeVideoMedia, idempotent).
 * When the CDN lands, this is where its paths are invalidated too (one swap for the integrator:
 * removeVideoMedia + the CDN invalidation).
 */
export async function removeTakenDownVideoMedia(
  db: DbOrTrx,
  video: { id: string; source_key: string; thumbnail_key: string | null },
): Promise<void> {
  const clips = await db
    .selectFrom('studio_selections')
    .select(sql<string[]>`coalesce(array_agg(clip_key), '{}')`.as('keys'))
    .where('video_id', '=', video.id)
    .executeTakeFirst();
  await removeVideoMedia({ ...video, clip_keys: clips?.keys ?? [] });
}
