import type { z } from 'zod';
import { storageEnv } from '../storage/config.ts';
import { mediaUrl } from '../storage/s3.ts';
import type { VideoViewRow } from './repository.ts';
import type { VideoView } from './schemas.ts';

/** Turns rows into API views, signing media URLs only for playable videos. */
export async function toVideoViews(
  rows: VideoViewRow[],
  viewerId: string | null,
): Promise<z.input<typeof VideoView>[]> {
  const ttl = storageEnv().DOWNLOAD_URL_TTL_SECONDS;
  const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
  return Promise.all(
    rows.map(async (r) => {
      const playable = r.status === 'ready';
      const [videoUrl, thumbnailUrl] = playable
        ? await Promise.all([mediaUrl(r.source_key), r.thumbnail_key ? mediaUrl(r.thumbnail_key) : null])
        : [null, null];
      return {
        id: r.id,
        owner: {
          id: r.owner_id,
          username: r.owner_username,
          display_name: r.owner_display_name,
          avatar_url: r.owner_avatar_key ? await mediaUrl(r.owner_avatar_key) : null,
        },
        caption: r.caption,
        visibility: r.visibility,
        status: r.status,
        failure_reason: viewerId === r.owner_id ? r.failure_reason : null,
        origin: r.origin,
        duration_ms: r.duration_ms,
        width: r.width,
        height: r.height,
        like_count: r.like_count,
        comment_count: r.comment_count,
        glitch_count: r.glitch_count,
        liked_by_me: r.liked_by_me === null ? null : Boolean(r.liked_by_me),
        video_url: videoUrl,
        thumbnail_url: thumbnailUrl,
        urls_expire_at: playable ? expiresAt : null,
        glitch_of: r.glitch_source_id
          ? {
              video_id: r.glitch_source_id,
              kind: r.glitch_kind ?? 'animate',
              available: Boolean(r.glitch_source_available),
            }
          : null,
        created_at: r.created_at,
        updated_at: r.updated_at,
      };
    }),
  );
}
