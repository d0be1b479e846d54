import { licenceOf } from '../ai/catalogue.ts';
import { findJob } from '../ai/repository.ts';
import { findAssetState } from '../assets/repository.ts';
import type { Db } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { InvalidMediaError, MediaProcessError, probeVideo } from '../media/index.ts';
import { withLocalCopies } from '../storage/local-copy.ts';
import { deleteObjects } from '../storage/s3.ts';
import { PROCESSING_BUDGET_MS } from '../videos/limits.ts';
import { mediaVisibility, retireRevision } from '../videos/media.ts';
import { claimVideoRevision, lockServedMedia, setVideoMedia } from '../videos/repository.ts';
import { type RevisionMedia, renderRevisionFiles, uploadRevisionFiles } from '../videos/revision-media.ts';
import {
  claimSoundtrack,
  finishSoundtrack,
  releaseSoundtrackLease,
  renewSoundtrackLease,
  type SoundtrackRow,
} from './repository.ts';

/** How long a run holds a request without renewing it (renewed every third of it). */
const LEASE_SECONDS = 45;
/** Runs a request gets (worker crashes, lost races) before it is failed. */
export const MAX_SOUNDTRACK_ATTEMPTS = 5;
/** A visibility change can take the revision a run was making: the run makes the next one, this often. */
const REVISION_RACES = 3;

export type SoundtrackOutcome = 'ready' | 'failed' | 'ignored';

/** Thrown when the run lost every race for a revision: the queue redelivers the message. */
export class RetrySoundtrackError extends Error {}

/**
 * The apply-soundtrack worker's rule: turns a request into a new revision of its video through the upload
 * pipeline (the kept original + the music → rendition, poster, preview under the next revision's keys),
 * while the previous revision keeps being served; then one transaction swaps the served keys (and records
 * the music's job, model and licence), and the previous revision's objects and CDN paths are retired.
 * Idempotent: one run at a time holds a request (a renewed lease), a finished request is left alone,
 * and a run whose revision was overtaken (the video changed visibility, or was deleted) removes what it
 * wrote. Transient failures (S3, database) throw, so the queue redelivers.
 */
export async function applySoundtrack(
  db: Db,
  soundtrackId: string,
  opts: { signal?: AbortSignal } = {},
): Promise<SoundtrackOutcome> {
  const run = await claimSoundtrack(db, soundtrackId, LEASE_SECONDS);
  if (!run) return 'ignored';
  if (run.attempts > MAX_SOUNDTRACK_ATTEMPTS) {
    return fail(db, run, 'The music could not be put on the video; try again');
  }
  const renew = setInterval(
    () => {
      renewSoundtrackLease(db, run.id, LEASE_SECONDS).catch((err: unknown) => {
        logger.warn('could not renew the soundtrack lease', { soundtrack_id: run.id, error: err as Error });
      });
    },
    (LEASE_SECONDS * 1000) / 3,
  );
  const signal = AbortSignal.any([
    AbortSignal.timeout(PROCESSING_BUDGET_MS),
    ...(opts.signal ? [opts.signal] : []),
  ]);
  try {
    for (let race = 0; race < REVISION_RACES; race++) {
      const outcome = await makeRevision(db, run, signal);
      if (outcome !== 'overtaken') return outcome;
    }
    throw new RetrySoundtrackError(`soundtrack ${run.id}: the video kept changing; again later`);
  } finally {
    clearInterval(renew);
    await releaseSoundtrackLease(db, run.id);
  }
}

async function makeRevision(
  db: Db,
  run: SoundtrackRow,
  signal: AbortSignal,
): Promise<SoundtrackOutcome | 'overtaken'> {
  const music = await findJob(db, run.music_job_id);
  const audio = music?.result_asset_id ? await findAssetState(db, music.result_asset_id) : undefined;
  if (!music || audio?.status !== 'ready') return fail(db, run, 'The music is no longer available');
  const video = await claimVideoRevision(db, run.video_id);
  if (!video) return fail(db, run, 'The video is no longer available');

  const target = { videoId: video.id, rev: video.media_rev, visibility: mediaVisibility(video) };
  let media: RevisionMedia;
  try {
    // The kept original (before revisions: the upload itself), never the rendition: no generation loss.
    media = await withLocalCopies(
      [video.original_key ?? video.source_key, audio.object_key],
      async (inputs, dir) => {
        const [input, musicPath] = inputs as [string, string];
        const source = await probeVideo(input, { signal });
        const files = await renderRevisionFiles(input, dir, {
          source,
          signal,
          soundtrack: {
            musicPath,
            mode: run.mode,
            musicStartMs: run.music_start_ms,
            musicEndMs: run.music_end_ms,
            offsetMs: run.offset_ms,
            musicVolume: run.music_volume,
            originalVolume: run.original_volume ?? 1,
          },
        });
        return uploadRevisionFiles(target, files);
      },
    );
  } catch (err) {
    if (err instanceof InvalidMediaError || err instanceof MediaProcessError) {
      logger.warn('soundtrack render failed', { soundtrack_id: run.id, error: err });
      const slow = err instanceof MediaProcessError && (err.reason === 'timeout' || err.reason === 'aborted');
      return fail(
        db,
        run,
        slow ? 'The video took too long to process' : 'The music could not be put on this video',
      );
    }
    throw err;
  }

  const licence = licenceOf(music.model);
  const swap = await db.transaction().execute(async (trx) => {
    const served = await lockServedMedia(trx, video.id);
    if (!served || served.deleted_at || served.status !== 'ready') return { outcome: 'gone' as const };
    // Someone took a later revision meanwhile (a visibility change moved the media): ours is stale.
    if (served.media_rev !== target.rev || mediaVisibility(served) !== target.visibility) {
      return { outcome: 'overtaken' as const };
    }
    if (!(await finishSoundtrack(trx, run.id, { status: 'ready', media_rev: target.rev }))) {
      return { outcome: 'gone' as const };
    }
    await setVideoMedia(trx, video.id, {
      media_rev: target.rev,
      ...media,
      music_job_id: music.id,
      music_model: music.model,
      music_licence: licence.name,
      music_licence_url: licence.url,
    });
    return { outcome: 'swapped' as const, previous: served };
  });
  if (swap.outcome !== 'swapped') {
    await deleteObjects([media.playback_key, media.poster_key, media.preview_key]);
    if (swap.outcome === 'overtaken') return 'overtaken';
    return fail(db, run, 'The video is no longer available');
  }
  logger.info('soundtrack ready', { soundtrack_id: run.id, video_id: video.id, media_rev: target.rev });
  // Once the new keys are committed: the old revision goes (a failure leaves unreachable objects, logged).
  await retireRevision(db, swap.previous, target.rev).catch((err: unknown) => {
    logger.error('could not retire the previous media revision', { video_id: video.id, error: err as Error });
  });
  return 'ready';
}

async function fail(db: Db, run: SoundtrackRow, error: string): Promise<SoundtrackOutcome> {
  await finishSoundtrack(db, run.id, { status: 'failed', error });
  logger.info('soundtrack failed', { soundtrack_id: run.id, error });
  return 'failed';
}
