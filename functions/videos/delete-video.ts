import { getDb } from '../../shared/db/client.ts';
import { uncountGlitch } from '../../shared/glitch/repository.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { logger } from '../../shared/logging/logger.ts';
import { lockAccountStandings } from '../../shared/users/standing.ts';
import { removeVideoMedia } from '../../shared/videos/media.ts';
import {
  adjustUserVideoCount,
  findOwnVideoForUpdate,
  markVideoDeleted,
} from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

/**
 * Soft-deletes at once (the row keeps glitch chains pointing at it intact and lets them say
 * their source is gone), then removes its objects from S3 and its paths from the CDN.
 */
export const deleteVideo: RouteHandler<Routes['deleteVideo']> = async ({ params, user }) => {
  const video = await getDb()
    .transaction()
    .execute(async (trx) => {
      // Locked first (accounts before videos): a suspension committing meanwhile already took
      // the glitch off its source's count (shared/users/standing.ts).
      const standing = await lockAccountStandings(trx, [user.id]);
      const row = await findOwnVideoForUpdate(trx, params.id, user.id);
      if (!row) return null;
      await markVideoDeleted(trx, row.id);
      if (row.status === 'ready') await adjustUserVideoCount(trx, user.id, -1);
      // A deleted glitch stops counting on the video it was made from.
      if (!standing.suspended(user.id)) await uncountGlitch(trx, row.id);
      return row;
    });
  if (!video) throw new NotFoundError('Video');
  try {
    await removeVideoMedia(getDb(), video.id);
  } catch (err) {
    // The video is already gone for everyone; leftover objects are unreachable (keys are never
    // handed out again) and are logged for cleanup rather than failing the request.
    logger.error('could not delete media objects', { video_id: video.id, error: err as Error });
  }
  return undefined;
};
