import { getDb } from '../../shared/db/client.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { mediaUrl } from '../../shared/storage/s3.ts';
import { assertRangeInVideo, assertWellFormedRange } from '../../shared/studio/rules.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import { signedUrlsExpireAt } from '../../shared/studio/url-expiry.ts';
import type { Routes } from '../routes.ts';

/** The source itself, signed for playback; clients seek to the range (nothing is cut here). */
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
  const expiresAt = signedUrlsExpireAt();
  return {
    video_id: video.id,
    url: await mediaUrl(video.source_key),
    duration_ms: video.duration_ms,
    ...range,
    expires_at: expiresAt,
  };
};
