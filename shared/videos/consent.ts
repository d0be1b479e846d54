import type { DbOrTrx } from '../db/client.ts';
import { AppError, UnprocessableError } from '../http/errors.ts';
import { findVisibleVideo } from './repository.ts';

export type Consent = 'allow_glitches' | 'allow_frame_capture';

/**
 * Remix consent (per video, defaulting to the owner's setting for new uploads): someone else's
 * video is glitched, or its frames captured and used, only while its owner allows it. The owner
 * always may. Checked before any credit is spent (the job and the spend come after): 403
 * `remix_not_allowed`.
 */
export function requireConsent(
  video: { id: string; owner_id: string; allow_glitches: boolean; allow_frame_capture: boolean },
  userId: string,
  consent: Consent,
): void {
  if (video.owner_id === userId || video[consent]) return;
  const message =
    consent === 'allow_glitches'
      ? 'The owner of this video does not allow glitches of it'
      : 'The owner of this video does not allow capturing its frames';
  throw new AppError(403, 'remix_not_allowed', message, { video_id: video.id, consent });
}

/**
 * A captured frame used as an image (a template's start frame, a glitch's character) still needs
 * its video, and its video's consent, at the time of use: withdrawing consent stops frames taken
 * earlier, and so does the video becoming unavailable to the user (deleted, made private, taken
 * down, its owner suspended or a block between them: 422 `frame_source_unavailable`). Every frame
 * is captured from a video; a frame without one lost it to a deletion.
 */
export async function requireFrameConsent(
  db: DbOrTrx,
  asset: { kind: string; source_video_id: string | null },
  userId: string,
): Promise<void> {
  if (asset.kind !== 'frame') return;
  const video = asset.source_video_id ? await findVisibleVideo(db, asset.source_video_id, userId) : undefined;
  if (!video) {
    throw new UnprocessableError(
      'The video this frame was captured from is no longer available',
      { video_id: asset.source_video_id },
      'frame_source_unavailable',
    );
  }
  requireConsent(video, userId, 'allow_frame_capture');
}
