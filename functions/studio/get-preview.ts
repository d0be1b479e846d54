import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { mediaUrl, signedUrlsExpireAt } from '../../shared/storage/media-url.ts';
import { assertRangeInVideo, assertWellFormedRange, MAX_PREVIEW_MS } from '../../shared/studio/rules.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import type { Routes } from '../routes.ts';

// ffmpeg work is a lazy chunk, loaded on first use (add-music.ts says why).
let previews: Promise<typeof import('../../shared/studio/range-preview.ts')> | undefined;

/** A low-resolution proxy clip of exactly the range, made once per (video, revision, range). */
export const getStudioPreview: RouteHandler<Routes['getStudioPreview']> = async ({ params, query, user }) => {
  // A full range can be judged before the video is looked up, like select-range does.
  if (query.start_ms !== undefined && query.end_ms !== undefined) {
    assertWellFormedRange({ start_ms: query.start_ms, end_ms: query.end_ms }, MAX_PREVIEW_MS);
  }
  const db = getDb();
  const video = await requireStudioSource(db, params.id, user.id);
  const start = query.start_ms ?? 0;
  const range = {
    start_ms: start,
    end_ms: query.end_ms ?? Math.min(start + MAX_PREVIEW_MS, video.duration_ms),
  };
  // Outside the video first: a lone start_ms past the end is 422, not an "empty range".
  assertRangeInVideo(range, video.duration_ms);
  assertWellFormedRange(range, MAX_PREVIEW_MS);
  previews ??= import('../../shared/studio/range-preview.ts');
  const { loadOrMakeRangePreview } = await previews;
  const clip = await loadOrMakeRangePreview(db, video, range);
  return {
    video_id: video.id,
    url: await mediaUrl(clip.key),
    duration_ms: video.duration_ms,
    ...range,
    clip_duration_ms: clip.duration_ms,
    width: clip.width,
    height: clip.height,
    expires_at: signedUrlsExpireAt(),
  };
};
