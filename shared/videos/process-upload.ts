import { join } from 'node:path';
import { announceJob } from '../ai/job-events.ts';
import type { DbOrTrx } from '../db/client.ts';
import { logger } from '../logging/logger.ts';
import { extractFrame, InvalidMediaError, MediaProcessError, probeVideo } from '../media/index.ts';
import { describeRefusal, screenImage } from '../screening/service.ts';
import { thumbnailKey } from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { deleteObjects, headObject, uploadFile } from '../storage/s3.ts';
import {
  adjustUserVideoCount,
  findVideoBySourceKey,
  markVideoFailed,
  markVideoProcessing,
  markVideoReady,
} from './repository.ts';

export const MAX_VIDEO_DURATION_MS = 3 * 60 * 1000;
export const MAX_VIDEO_BYTES = 200 * 1024 * 1024;
const THUMBNAIL_AT_MS = 1000;
const THUMBNAIL_MAX_WIDTH = 720;

export type ProcessOutcome = 'ready' | 'held' | 'failed' | 'ignored';

const REASONS = {
  size_mismatch: 'The uploaded file is not the size that was declared',
  content_type_mismatch: 'The uploaded file is not the type that was declared',
  too_large: 'The video is larger than 200 MB',
  too_long: 'The video is longer than 3 minutes',
  not_a_video: 'The file is not a video we can read',
  no_video_stream: 'The file has no video track',
  corrupt: 'The video file is damaged or incomplete',
  unsupported_format: 'The video format is not supported (use MP4, MOV or WebM)',
} as const;

type UploadedVideo = { id: string; owner_id: string; ai_job_id: string | null };

async function markFailed(db: DbOrTrx, video: UploadedVideo, key: string, reason: keyof typeof REASONS) {
  const id = video.id;
  await db.transaction().execute(async (trx) => {
    const [failed] = await markVideoFailed(trx, id, REASONS[reason]);
    // An AI result that could not be used: its owner hears the job's outcome.
    if (failed?.numUpdatedRows && video.ai_job_id) {
      await announceJob(trx, { id: video.ai_job_id, user_id: video.owner_id }, 'succeeded', 'failed');
    }
  });
  // A rejected upload is never served; don't keep untrusted bytes around.
  await deleteObjects([key]);
  logger.info('video rejected', { video_id: id, reason });
}

/**
 * Upload processing for one object under uploads/ (a person's upload or an AI output): check
 * the stored object against what was promised, probe it, make its poster frame, mark it ready. Idempotent: a repeated or late event
 * for a finished, deleted or unknown video changes nothing; the final state change is
 * guarded by the video still being open, so two concurrent runs cannot both count it.
 * Transient failures (S3, database) throw, so Lambda's async retry runs it again.
 */
export async function processUpload(db: DbOrTrx, key: string): Promise<ProcessOutcome> {
  const video = await findVideoBySourceKey(db, key);
  if (!video) {
    logger.warn('object has no video row', { key });
    return 'ignored';
  }
  if (video.deleted_at) {
    await deleteObjects([key]);
    return 'ignored';
  }
  if (video.status === 'ready' || video.status === 'failed') return 'ignored';

  await markVideoProcessing(db, video.id);

  const head = await headObject(key);
  if (!head) return 'ignored'; // removed since the event was sent
  // Local S3 servers (and a client that ignores the signed headers) cannot be trusted to
  // have enforced what the presigned URL promised: check the stored object itself.
  if (head.size > MAX_VIDEO_BYTES) return fail('too_large');
  if (video.declared_size_bytes !== null && head.size !== Number(video.declared_size_bytes)) {
    return fail('size_mismatch');
  }
  if ((head.contentType ?? '').split(';')[0]!.trim().toLowerCase() !== video.content_type) {
    return fail('content_type_mismatch');
  }

  return withLocalCopy(key, async (input, dir) => {
    let probe: Awaited<ReturnType<typeof probeVideo>>;
    try {
      probe = await probeVideo(input);
    } catch (err) {
      if (err instanceof InvalidMediaError) return fail(err.reason);
      throw err;
    }
    if (probe.durationMs > MAX_VIDEO_DURATION_MS) return fail('too_long');

    const thumbPath = join(dir, 'thumb.jpg');
    const atMs = Math.min(THUMBNAIL_AT_MS, Math.floor(probe.durationMs / 2));
    try {
      await extractFrame(input, {
        atMs,
        durationMs: probe.durationMs,
        outPath: thumbPath,
        maxWidth: THUMBNAIL_MAX_WIDTH,
      });
    } catch (err) {
      // ffmpeg exiting with an error or no frame on a file that probed fine means damaged
      // content; a timeout or spawn failure is ours and worth Lambda's retry.
      if (err instanceof MediaProcessError && (err.reason === 'exit' || err.reason === 'no_output')) {
        return fail('corrupt');
      }
      throw err;
    }
    const thumbKey = thumbnailKey(video.id);
    await uploadFile(thumbKey, thumbPath, 'image/jpeg');
    // AI outputs are screened on their poster frame before they are published: a flagged one is
    // held for review (its owner sees it, nobody else). A screening error throws: retried.
    const refused = video.ai_job_id ? (await screenImage(thumbKey)).refused : [];
    const held = refused.length ? { reason: `held for review: ${describeRefusal(refused)}` } : undefined;

    const becameReady = await db.transaction().execute(async (trx) => {
      const media = {
        duration_ms: probe.durationMs,
        width: probe.width,
        height: probe.height,
        size_bytes: head.size,
        thumbnail_key: thumbKey,
      };
      const ready = await markVideoReady(trx, video.id, media, held);
      if (ready && !held) await adjustUserVideoCount(trx, video.owner_id, 1);
      // A glitch/template result is usable now: its job's owner hears it (live, and a push).
      if (ready && video.ai_job_id) {
        await announceJob(
          trx,
          { id: video.ai_job_id, user_id: video.owner_id },
          'succeeded',
          held ? 'held' : 'ready',
        );
      }
      return ready;
    });
    if (!becameReady) return 'ignored';
    if (held) {
      logger.warn('AI output held for review', { video_id: video.id, reason: held.reason });
      return 'held' as const;
    }
    logger.info('video ready', { video_id: video.id, duration_ms: probe.durationMs });
    return 'ready' as const;
  });

  async function fail(reason: keyof typeof REASONS): Promise<ProcessOutcome> {
    await markFailed(db, video!, key, reason);
    return 'failed';
  }
}
