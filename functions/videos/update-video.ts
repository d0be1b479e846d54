import { getDb } from '../../shared/db/client.ts';
import { syncVideoHashtags } from '../../shared/hashtags/repository.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { logger } from '../../shared/logging/logger.ts';
import { placeVideoMedia } from '../../shared/videos/media.ts';
import {
  findOwnVideoForUpdate,
  findVisibleVideo,
  updateVideoFields,
} from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const updateVideo: RouteHandler<Routes['updateVideo']> = async ({ params, body, user }) => {
  const db = getDb();
  const updated = await db.transaction().execute(async (trx) => {
    const video = await findOwnVideoForUpdate(trx, params.id, user.id);
    // Someone else's video is indistinguishable from a missing one.
    if (!video) return false;
    await updateVideoFields(trx, video.id, body);
    // A caption edit replaces the video's hashtag links in the same transaction.
    if (body.caption !== undefined) await syncVideoHashtags(trx, video.id, body.caption);
    // Public media live behind the CDN, private ones don't: a new visibility moves them. A taken-down
    // or held video's media stay private whatever its visibility (a restore or release moves them).
    const retire = body.visibility
      ? await placeVideoMedia(trx, { ...video, visibility: body.visibility })
      : undefined;
    return { retire };
  });
  if (!updated) throw new NotFoundError('Video');
  // The old revision goes only once the new keys are committed (a failure leaves unused objects, logged).
  await updated.retire?.(db).catch((err: unknown) => {
    logger.error('could not retire the previous media revision', {
      video_id: params.id,
      error: err as Error,
    });
  });
  const row = await findVisibleVideo(db, params.id, user.id);
  if (!row) throw new NotFoundError('Video');
  const [view] = await toVideoViews([row], user.id);
  return view!;
};
