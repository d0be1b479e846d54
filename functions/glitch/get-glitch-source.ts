import { getDb } from '../../shared/db/client.ts';
import { findGlitchLink } from '../../shared/glitch/repository.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import { toVideoViews } from '../../shared/videos/view.ts';
import type { Routes } from '../routes.ts';

export const getGlitchSource: RouteHandler<Routes['getGlitchSource']> = async ({ params, user }) => {
  const db = getDb();
  const viewerId = user?.id ?? null;
  const video = await findVisibleVideo(db, params.id, viewerId);
  if (!video) throw new NotFoundError('Video');
  const link = await findGlitchLink(db, video.id);
  if (!link) return { video_id: video.id, kind: null, depth: 0, parent: null, root: null };

  // Deleted or private sources stay in the chain as ids marked unavailable.
  const chainLink = async (id: string) => {
    const row = await findVisibleVideo(db, id, viewerId);
    const [view] = row ? await toVideoViews([row], viewerId) : [];
    return { video_id: id, available: Boolean(view), video: view ?? null };
  };
  const parent = await chainLink(link.source_video_id);
  const root = link.root_video_id === link.source_video_id ? parent : await chainLink(link.root_video_id);
  return { video_id: video.id, kind: link.kind, depth: link.depth, parent, root };
};
