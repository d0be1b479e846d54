import { getDb } from '../../shared/db/client.ts';
import { NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findOwnSelection } from '../../shared/studio/repository.ts';
import { toSelectionView } from '../../shared/studio/selection-view.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';

export const getStudioSelection: RouteHandler<Routes['getStudioSelection']> = async ({ params, user }) => {
  const db = getDb();
  const selection = await findOwnSelection(db, params.id, user.id);
  // A clip is a copy of its video: once that video is deleted or made private by its owner, it is not
  // handed out any more (the same rule glitch requests apply).
  const video = selection && (await findVisibleVideo(db, selection.video_id, user.id));
  if (!selection || !video) throw new NotFoundError('Selection');
  return toSelectionView(selection);
};
