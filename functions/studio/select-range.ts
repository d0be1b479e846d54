import { randomUUID } from 'node:crypto';
import { getDb } from '../../shared/db/client.ts';
import { Reply, type RouteHandler } from '../../shared/http/route.ts';
import { logger } from '../../shared/logging/logger.ts';
import { selectionClipKey } from '../../shared/storage/keys.ts';
import { insertSelection } from '../../shared/studio/repository.ts';
import { assertRangeInVideo, assertWellFormedRange, MAX_SELECTION_MS } from '../../shared/studio/rules.ts';
import { toSelectionView } from '../../shared/studio/selection-view.ts';
import { requireStudioSource } from '../../shared/studio/source-video.ts';
import type { Routes } from '../routes.ts';

// ffmpeg work is a lazy chunk, loaded on first use (add-music.ts says why).
let clips: Promise<typeof import('../../shared/studio/clip.ts')> | undefined;

export const selectStudioRange: RouteHandler<Routes['selectStudioRange']> = async ({
  params,
  body,
  user,
}) => {
  assertWellFormedRange(body, MAX_SELECTION_MS);
  const db = getDb();
  const video = await requireStudioSource(db, params.id, user.id);
  assertRangeInVideo(body, video.duration_ms);

  const id = randomUUID();
  const clipKey = selectionClipKey(id);
  // Clip first, row second: a failed cut leaves no row, and a clip whose insert failed is an
  // orphan object nothing refers to (harmless).
  clips ??= import('../../shared/studio/clip.ts');
  const { cutSelectionClip } = await clips;
  const clip = await cutSelectionClip(video, body, clipKey);
  const row = await insertSelection(db, {
    id,
    user_id: user.id,
    video_id: video.id,
    start_ms: body.start_ms,
    end_ms: body.end_ms,
    clip_key: clipKey,
  });
  logger.info('studio selection cut', { selection_id: id, video_id: video.id, clip_ms: clip.durationMs });
  return new Reply(201, await toSelectionView(row));
};
