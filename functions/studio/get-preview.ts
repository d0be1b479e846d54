import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { mediaUrl, publicMediaUrl, signedUrlsExpireAt } from '../../shared/storage/media-url.ts';
import { assertRangeInVideo, assertWellFormedRange } from '../../shared/studio/rules.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import type { Routes } from '../routes.ts';

/** The video's playback rendition (its CDN URL, or signed when private); clients seek to the range. */
export const getStudioPreview: RouteHandler<Routes['getStudioPreview']> = async ({ params, query, user }) => {
  // A full range can be judged before the video is looked up, like select-range does.
  if (query.start_ms !== undefined && query.end_ms !== undefined) {
    assertWellFormedRange({ start_ms: query.start_ms, end_ms: query.end_ms });
  }
  const video = await requireStudioSource(getDb(), params.id, user.id);
  const range = { start_ms: query.start_ms ?? 0, end_ms: query.end_ms ?? video.duration_ms };
  // Outside the video first: a lone start_ms past the end is 422, not an "empty range".
  assertRangeInVideo(range, video.duration_ms);
  assertWellFormedRange(range);
  const cdnUrl = publicMediaUrl(video.media_key);
  return {
    video_id: video.id,
    url: cdnUrl ?? (await mediaUrl(video.media_key)),
    duration_ms: video.duration_ms,
    ...range,
    expires_at: cdnUrl ? null : signedUrlsExpireAt(),
  };
};
