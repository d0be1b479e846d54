import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { mediaUrl, signedUrlsExpireAt } from '../../shared/storage/media-url.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import { loadOrCreateTimeline } from '../../shared/studio/timeline.ts';
import type { Routes } from '../routes.ts';

export const getStudioTimeline: RouteHandler<Routes['getStudioTimeline']> = async ({
  params,
  query,
  user,
}) => {
  const video = await requireStudioSource(getDb(), params.id, user.id);
  const timeline = await loadOrCreateTimeline(video, query.count);
  const expiresAt = signedUrlsExpireAt();
  return {
    video_id: video.id,
    duration_ms: video.duration_ms,
    width: video.width,
    height: video.height,
    // Frames are cached; their URLs are signed afresh on every call.
    frames: await Promise.all(
      timeline.frames.map(async (f) => ({ at_ms: f.at_ms, url: await mediaUrl(f.key) })),
    ),
    expires_at: expiresAt,
  };
};
