import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { mediaUrl, signedUrlsExpireAt } from '../../shared/storage/media-url.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import type { Routes } from '../routes.ts';

// ffmpeg work is a lazy chunk, loaded on first use (add-music.ts says why).
let timelines: Promise<typeof import('../../shared/studio/timeline.ts')> | undefined;

export const getStudioTimeline: RouteHandler<Routes['getStudioTimeline']> = async ({
  params,
  query,
  user,
}) => {
  const video = await requireStudioSource(getDb(), params.id, user.id);
  timelines ??= import('../../shared/studio/timeline.ts');
  const { loadOrCreateTimeline } = await timelines;
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
