import { randomUUID } from 'node:crypto';
import { insertAsset } from '../../shared/assets/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import { NotFoundError, UnprocessableError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { enforceAiJobLimit } from '../../shared/limits/quotas.ts';
import { assetKey } from '../../shared/storage/keys.ts';
import { mediaUrl } from '../../shared/storage/media-url.ts';
import { deleteObjects } from '../../shared/storage/s3.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import { requireConsent } from '../../shared/videos/consent.ts';
import { holdLiveVideo } from '../../shared/videos/repository.ts';
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
  const id = randomUUID();
  const key = assetKey(user.id, id, 'jpg');
  captures ??= import('../../shared/studio/capture-frame.ts');
  const { captureFrameImage } = await captures;
  const frame = await captureFrameImage(video, body.at_ms, key);
  // The video may have been deleted while its frame was made: its deletion removes the frames
  // recorded by then (shared/videos/media.ts), so record this one only while it is still live.
  const recorded = await db.transaction().execute(async (trx) => {
    if (!(await holdLiveVideo(trx, video.id))) return false;
    await insertAsset(trx, {
      id,
      owner_id: user.id,
      kind: 'frame',
      object_key: key,
      content_type: 'image/jpeg',
      status: 'ready',
      size_bytes: frame.sizeBytes,
      source_video_id: video.id,
    });
    return true;
  });
  if (!recorded) {
    await deleteObjects([key]);
    throw new NotFoundError('Video');
  }
  return {
    asset_id: id,
    video_id: video.id,
    at_ms: body.at_ms,
    width: frame.width,
    height: frame.height,
    url: await mediaUrl(key),
    credits_spent: 0 as const,
  };
};
