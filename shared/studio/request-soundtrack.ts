import { findOwnJob } from '../ai/repository.ts';
import { findOwnAsset } from '../assets/repository.ts';
import type { Db } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { InvalidMediaError, probeAudio } from '../media/index.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { findVisibleVideo, lockServedMedia } from '../videos/repository.ts';
import { mediaDeadline, rethrowMediaTimeout } from './media-deadline.ts';
import {
  findLatestSoundtrack,
  findSoundtrackByKey,
  insertSoundtrack,
  type SoundtrackRow,
} from './repository.ts';
import { enqueueSoundtrack } from './soundtrack-queue.ts';
import {
  assertWellFormedSegment,
  resolveSoundtrack,
  type SoundtrackRequest,
  soundtrackFingerprint,
} from './soundtrack-rules.ts';

/** A music output bigger than this is not a song of a few minutes: refused before it is downloaded. */
export const MAX_MUSIC_BYTES = 50 * 1024 * 1024;

/**
 * Puts a finished music job of the caller's on one of their ready videos, as a request the
 * apply-soundtrack worker turns into a new revision of the video (no credits: the music was paid for).
 * Idempotent: the same idempotency key, or the same parameters as the video's latest request (not
 * failed), returns that request instead of making another revision. One request per video is open at a
 * time (409 `soundtrack_in_progress`).
 */
export async function requestSoundtrack(
  db: Db,
  userId: string,
  videoId: string,
  req: SoundtrackRequest & { idempotency_key?: string },
): Promise<SoundtrackRow> {
  assertWellFormedSegment(req);
  const fingerprint = soundtrackFingerprint(videoId, req);
  if (req.idempotency_key) {
    const replay = await findSoundtrackByKey(db, userId, req.idempotency_key);
    if (replay) return replayOf(replay, fingerprint);
  }

  const video = await findVisibleVideo(db, videoId, userId);
  // Someone else's video, public or not, is not theirs to re-score: it looks missing.
  if (!video || video.owner_id !== userId) throw new NotFoundError('Video');
  if (video.status !== 'ready' || video.duration_ms === null) {
    throw new ConflictError('The video is not ready yet', { status: video.status }, 'video_not_ready');
  }
  const same = await findLatestSoundtrack(db, videoId);
  if (same && same.fingerprint === fingerprint && same.status !== 'failed') return resumeIfStalled(same);

  const musicDurationMs = await musicDuration(db, userId, req.music_job_id);
  const params = resolveSoundtrack(req, musicDurationMs, video.duration_ms);

  let row: SoundtrackRow;
  try {
    row = await db.transaction().execute(async (trx) => {
      // The video's row serialises requests for it: a concurrent identical one finds this one.
      const locked = await lockServedMedia(trx, videoId);
      if (!locked || locked.deleted_at || locked.status !== 'ready') throw new NotFoundError('Video');
      const latest = await findLatestSoundtrack(trx, videoId);
      if (latest && latest.fingerprint === fingerprint && latest.status !== 'failed') return latest;
      if (latest && (latest.status === 'queued' || latest.status === 'processing')) {
        throw new ConflictError(
          'Music is already being put on this video; wait until it is done',
          { soundtrack_id: latest.id, status: latest.status },
          'soundtrack_in_progress',
        );
      }
      return insertSoundtrack(trx, {
        ...params,
        user_id: userId,
        video_id: videoId,
        music_job_id: req.music_job_id,
        fingerprint,
        idempotency_key: req.idempotency_key ?? null,
      });
    });
  } catch (err) {
    // The same key sent twice at once, for two videos: the second is a replay of the first.
    if (req.idempotency_key && isUniqueViolation(err, 'video_soundtracks_idempotency_idx')) {
      const replay = await findSoundtrackByKey(db, userId, req.idempotency_key);
      if (replay) return replayOf(replay, fingerprint);
    }
    throw err;
  }
  await enqueue(row.id);
  return row;
}

function replayOf(row: SoundtrackRow, fingerprint: string): Promise<SoundtrackRow> {
  if (row.fingerprint !== fingerprint) {
    throw new ConflictError(
      'This idempotency key was used for a different request',
      { soundtrack_id: row.id },
      'idempotency_key_reused',
    );
  }
  return resumeIfStalled(row);
}

/** A retry of a request still queued re-sends its message (the first send may be what failed). */
async function resumeIfStalled(row: SoundtrackRow): Promise<SoundtrackRow> {
  if (row.status === 'queued') await enqueue(row.id);
  return row;
}

async function enqueue(id: string): Promise<void> {
  try {
    await enqueueSoundtrack(id);
  } catch (err) {
    // The row is safe: the reconciler re-sends requests that stay queued.
    logger.error('could not enqueue a soundtrack; the reconciler will retry', {
      soundtrack_id: id,
      error: err as Error,
    });
  }
}

/** The duration of a finished music job's track, read from the file itself. */
async function musicDuration(db: Db, userId: string, jobId: string): Promise<number> {
  const job = await findOwnJob(db, jobId, userId);
  if (!job) throw new NotFoundError('Music job');
  if (job.kind !== 'music') {
    throw new UnprocessableError('That job did not make music', { kind: job.kind }, 'not_music');
  }
  const asset = job.result_asset_id ? await findOwnAsset(db, job.result_asset_id, userId) : undefined;
  if (job.status !== 'succeeded' || asset?.status !== 'ready') {
    throw new ConflictError(
      'The music is not finished',
      { status: job.status, audio: asset?.status ?? null },
      'music_not_ready',
    );
  }
  if (asset.size_bytes !== null && Number(asset.size_bytes) > MAX_MUSIC_BYTES) {
    throw new UnprocessableError(
      'The music file is too large',
      { max_bytes: MAX_MUSIC_BYTES },
      'music_unusable',
    );
  }
  return withLocalCopy(asset.object_key, async (path) => {
    try {
      return (await probeAudio(path, { signal: mediaDeadline() })).durationMs;
    } catch (err) {
      if (err instanceof InvalidMediaError) {
        throw new UnprocessableError('The music file cannot be read', undefined, 'music_unusable');
      }
      return rethrowMediaTimeout(err);
    }
  });
}
