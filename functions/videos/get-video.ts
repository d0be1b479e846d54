import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const getVideo: RouteHandler<Routes['getVideo']> = async ({ params, user }) => {
  const viewerId = user?.id ?? null;
  const row = await findVisibleVideo(getDb(), params.id, viewerId);
  // Private, unfinished and deleted videos of others look exactly like missing ones.
  if (!row) throw new NotFoundError('Video');
  const [view] = await toVideoViews([row], viewerId);
  return view!;
};
