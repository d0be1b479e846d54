import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { isLikedBy } from '../../shared/likes/repository.ts';
import { findVisibleVideoStats } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

export const checkLike: RouteHandler<Routes['checkLike']> = async ({ params, user }) => {
  const db = getDb();
  const video = await findVisibleVideoStats(db, params.id, user?.id ?? null);
  if (!video) throw new NotFoundError('Video');
  return {
    video_id: video.id,
    liked: user ? await isLikedBy(db, user.id, video.id) : null,
    like_count: video.like_count,
  };
};
