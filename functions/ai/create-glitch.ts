import type * as z from 'zod/mini';
import { createJob } from '../../shared/ai/create-job.ts';
import { findOwnJobView } from '../../shared/ai/repository.ts';
import { toJobView } from '../../shared/ai/view.ts';
import { requireUsableImage } from '../../shared/assets/usable-image.ts';
import type { AuthUser } from '../../shared/auth/tokens.ts';
import { getDb } from '../../shared/db/client.ts';
import { ConflictError, NotFoundError } from '../../shared/http/errors.ts';
import type { RouteHandler } from '../../shared/http/route.ts';
import { findOwnSelection } from '../../shared/studio/repository.ts';
import { requireConsent } from '../../shared/videos/consent.ts';
import { findVisibleVideo } from '../../shared/videos/repository.ts';
import type { Routes } from '../routes.ts';
import type { GlitchBody as GlitchBodySchema } from './schemas.ts';

type GlitchBody = z.infer<typeof GlitchBodySchema>;

/** A glitch remixes a selected ≤10 s range of a video the caller can see with their character. */
async function requestGlitch(kind: 'glitch_animate' | 'glitch_replace', body: GlitchBody, user: AuthUser) {
  const db = getDb();
  const source = await findVisibleVideo(db, body.source_video_id, user.id);
  if (!source) throw new NotFoundError('Video');
  if (source.status !== 'ready')
    throw new ConflictError('The video is still processing', undefined, 'video_not_ready');
  requireConsent(source, user.id, 'allow_glitches');
  const selection = await findOwnSelection(db, body.selection_id, user.id);
  if (!selection || selection.video_id !== source.id) throw new NotFoundError('Selection');
  const character = await requireUsableImage(db, body.character_image_id, user.id);
  const job = await createJob(db, {
    userId: user.id,
    kind,
    sourceVideoId: source.id,
    selectionId: selection.id,
    input: {
      clip_key: selection.clip_key,
      image_key: character.object_key,
      start_ms: selection.start_ms,
      end_ms: selection.end_ms,
      caption: body.caption ?? '',
    },
  });
  return toJobView((await findOwnJobView(db, job.id, user.id))!);
}

export const createGlitchAnimate: RouteHandler<Routes['createGlitchAnimate']> = ({ body, user }) =>
  requestGlitch('glitch_animate', body, user);
export const createGlitchReplace: RouteHandler<Routes['createGlitchReplace']> = ({ body, user }) =>
  requestGlitch('glitch_replace', body, user);
