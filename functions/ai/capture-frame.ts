import { getDb } from '../../shared/db/client.ts';
import { UnprocessableError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { enforceAiJobLimit } from '../../shared/limits/quotas.ts';
import { mediaUrl } from '../../shared/storage/media-url.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import { requireConsent } from '../../shared/videos/consent.ts';
import type { Routes } from '../routes.ts';

// The ffmpeg work is a lazy chunk, loaded on first use: the ai Lambda's other routes don't carry it.
let captures: Promise<typeof import('../../shared/studio/capture-frame.ts')> | undefined;

/** Free and synchronous: one JPEG from a video the caller can see, stored as their asset. */
export const captureFrame: RouteHandler<Routes['captureFrame']> = async ({ body, user }) => {
  const db = getDb();
  // Free, but ffmpeg work: counted with the person's other AI requests.
  await enforceAiJobLimit(db, user.id);
  // The same rules as the studio: anyone's public ready video or the caller's own.
  const video = await requireStudioSource(db, body.video_id, user.id);
  requireConsent(video, user.id, 'allow_frame_capture');
  if (body.at_ms > video.duration_ms) {
    throw new UnprocessableError(`at_ms is past the end of the video (${video.duration_ms} ms)`, {
      duration_ms: video.duration_ms,
    });
  }
  captures ??= import('../../shared/studio/capture-frame.ts');
  const { captureFrameAsset } = await captures;
  const frame = await captureFrameAsset(db, user.id, video, body.at_ms);
  return {
    asset_id: frame.id,
    video_id: video.id,
    at_ms: body.at_ms,
    width: frame.width,
    height: frame.height,
    url: await mediaUrl(frame.key),
    credits_spent: 0 as const,
  };
};
