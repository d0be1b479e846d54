import { readFile, stat } from 'node:fs/promises';
import { announceJob } from '../ai/job-events.ts';
import type { DbOrTrx } from '../db/client.ts';
import type { Visibility } from '../db/schema.ts';
import { logger } from '../logging/logger.ts';
import { InvalidMediaError, MediaProcessError, probeVideo, type VideoProbe } from '../media/index.ts';
import { describeRefusal, screenImage } from '../screening/service.ts';
import { originalKey } from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { deleteObjects, headObject, uploadFile } from '../storage/s3.ts';
import { MAX_SOURCE_PIXELS, MAX_VIDEO_BYTES, MAX_VIDEO_DURATION_MS, PROCESSING_BUDGET_MS } from './limits.ts';
import { mediaVisibility } from './media.ts';
import {
  adjustUserVideoCount,
  claimVideoForProcessing,
  findVideoBySourceKey,
  markVideoFailed,
  markVideoReady,
  type ProcessedMedia,
  releaseProcessingLease,
  renewProcessingLease,
} from './repository.ts';
import { type RevisionFiles, renderRevisionFiles, uploadRevisionFiles } from './revision-media.ts';

/**
 * How long a run holds a video without renewing (it renews every third of it). A run that dies
 * without releasing it (out of memory, timeout) blocks others this long at most: less than the minute
 * Lambda waits before retrying its event.
 */
const LEASE_SECONDS = 45;

export type ProcessOutcome = 'ready' | 'held' | 'failed' | 'ignored';

const REASONS = {
  size_mismatch: 'The uploaded file is not the size that was declared',
  content_type_mismatch: 'The uploaded file is not the type that was declared',
  too_large: 'The video is larger than 200 MB',
  too_long: 'The video is longer than 3 minutes',
  too_many_pixels: 'The video is larger than 4K (3840×2160 pixels)',
  not_a_video: 'The file is not a video we can read',
  no_video_stream: 'The file has no video track',
  corrupt: 'The video file is damaged or incomplete',
  unsupported_format: 'The video format is not supported (use MP4, MOV or WebM)',
  too_slow: 'The video took too long to process',
} as const;
type Reason = keyof typeof REASONS;

/** Thrown when the run lost a race it should retry (S3/Lambda retry the event). */
export class RetryProcessingError extends Error {}

/**
 * Upload processing for one object in the uploads/ inbox (a person's upload or an AI output):
 * check the stored object against what was promised, probe it (size, duration and pixel limits before
 * any decoding), transcode the playback rendition, make its poster and preview, keep the original
 * privately, mark the video ready in one transaction, and delete the inbox object.
 *
 * Served media never come from the inbox: an object arriving for a finished video (a second PUT to a
 * still-valid upload URL) is deleted and changes nothing. Idempotent: one run at a time holds the
 * video (a renewed lease; duplicate events meanwhile do nothing), every run takes its own media
 * revision, only the run holding the latest one can make the video ready, and a run that lost
 * removes what it wrote. Transient failures (S3, database) throw, so Lambda's async retry runs it again.
 */
export async function processUpload(
  db: DbOrTrx,
  key: string,
  opts: { signal?: AbortSignal } = {},
): Promise<ProcessOutcome> {
  const video = await findVideoBySourceKey(db, key);
  if (!video) {
    logger.warn('object has no video row', { key });
    return 'ignored';
  }
  // Deleted, or taken down with its media purged (a final decision): nothing may be made from it.
  if (video.deleted_at || video.media_purged_at) {
    await deleteObjects([key]);
    return 'ignored';
  }
  if (video.status === 'ready' || video.status === 'held' || video.status === 'failed') {
    // A video made before media revisions is still served from this very key: keep it.
    if (video.status === 'ready' && !video.playback_key) return 'ignored';
    await deleteObjects([key]);
    logger.info('inbox object for a finished video discarded', { video_id: video.id, status: video.status });
    return 'ignored';
  }

  const run = await claimVideoForProcessing(db, video.id, LEASE_SECONDS);
  // Finished or deleted meanwhile, or another run holds it (a duplicate event): nothing to do.
  if (!run) return 'ignored';
  const renew = setInterval(
    () => {
      renewProcessingLease(db, video.id, run.media_rev, LEASE_SECONDS).catch((err: unknown) => {
        logger.warn('could not renew the processing lease', { video_id: video.id, error: err as Error });
      });
    },
    (LEASE_SECONDS * 1000) / 3,
  );
  const signal = AbortSignal.any([
    AbortSignal.timeout(PROCESSING_BUDGET_MS),
    ...(opts.signal ? [opts.signal] : []),
  ]);
  try {
    // A video taken down before or while it is processed gets its media under the private prefix:
    // they must not reach the CDN until a moderator restores it (unhideRestoredMedia moves them).
    return await processClaimed(db, key, { ...video, ...run, visibility: mediaVisibility(run) }, signal);
  } finally {
    clearInterval(renew);
    // A run that did not make the video ready lets the next event (a retry) start at once.
    await releaseProcessingLease(db, video.id, run.media_rev);
  }
}

type InboxVideo = NonNullable<Awaited<ReturnType<typeof findVideoBySourceKey>>>;
/** The video as this run claimed it: its revision and the prefix its media are written under (mediaVisibility). */
type ClaimedVideo = InboxVideo & { media_rev: number; visibility: Visibility };

async function processClaimed(
  db: DbOrTrx,
  key: string,
  video: ClaimedVideo,
  signal: AbortSignal,
): Promise<ProcessOutcome> {
  const head = await headObject(key);
  if (!head) return 'ignored'; // removed since the event was sent
  // Local S3 servers (and a client that ignores the signed headers) cannot be trusted to
  // have enforced what the presigned URL promised: check the stored object itself.
  if (head.size > MAX_VIDEO_BYTES) return fail(db, video, key, 'too_large');
  const declared = video.declared_size_bytes === null ? null : Number(video.declared_size_bytes);
  if (declared !== null && head.size !== declared) return fail(db, video, key, 'size_mismatch');
  if ((head.contentType ?? '').split(';')[0]!.trim().toLowerCase() !== video.content_type) {
    return fail(db, video, key, 'content_type_mismatch');
  }

  const made = await withLocalCopy(key, (input, dir) => makeMedia(input, dir, video, declared, signal));
  if (typeof made === 'string') return fail(db, video, key, made);
  const { media, held } = made;

  const run = { rev: video.media_rev, visibility: made.visibility };
  const becameReady = await db.transaction().execute(async (trx) => {
    const ready = await markVideoReady(trx, video.id, run, media, held);
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
  if (!becameReady) {
    // This revision is never served: remove it. A newer run (a duplicate event) is making the video;
    // but if only its placement changed meanwhile (its visibility, a takedown or a restore), nobody
    // else will: run again under the right prefix (a purge makes that run discard the upload).
    await deleteObjects([media.playback_key, media.poster_key, media.preview_key, media.original_key]);
    const now = await findVideoBySourceKey(db, key);
    const open = now && !now.deleted_at && (now.status === 'uploading' || now.status === 'processing');
    if (open && now.media_rev === run.rev) {
      throw new RetryProcessingError(`video ${video.id} changed placement while it was processed; again`);
    }
    return 'ignored';
  }
  await deleteObjects([key]);
  if (held) {
    logger.warn('AI output held for review', { video_id: video.id, reason: held.reason });
    return 'held';
  }
  logger.info('video ready', { video_id: video.id, media_rev: run.rev, duration_ms: media.duration_ms });
  return 'ready';
}

/** What a run made: the media it uploaded, where (its prefix), and why it is held, if it is. */
type MadeMedia = { media: ProcessedMedia; visibility: Visibility; held?: { reason: string } };

/**
 * The local work on the downloaded upload: limits first (no decoding), then the rendition, its
 * poster and preview, all uploaded with the original. A Reason when the upload is refused.
 */
async function makeMedia(
  input: string,
  dir: string,
  video: ClaimedVideo,
  declared: number | null,
  signal: AbortSignal,
): Promise<MadeMedia | Reason> {
  // The object may have been replaced between HEAD and GET: what was downloaded is what counts.
  const { size } = await stat(input);
  if (size > MAX_VIDEO_BYTES) return 'too_large';
  if (declared !== null && size !== declared) return 'size_mismatch';

  let source: VideoProbe;
  try {
    source = await probeVideo(input, { signal });
  } catch (err) {
    if (err instanceof InvalidMediaError) return err.reason;
    throw err;
  }
  if (source.durationMs > MAX_VIDEO_DURATION_MS) return 'too_long';
  if (source.width * source.height > MAX_SOURCE_PIXELS) return 'too_many_pixels';

  let files: RevisionFiles;
  try {
    files = await renderRevisionFiles(input, dir, { source, signal });
  } catch (err) {
    if (err instanceof MediaProcessError) {
      // ffmpeg refusing or producing nothing from a file that probed fine means damaged content;
      // running out of time means a file too heavy for the budget (a retry would do the same).
      if (err.reason === 'exit' || err.reason === 'no_output') return 'corrupt';
      if (err.reason === 'timeout' || err.reason === 'aborted') return 'too_slow';
    }
    throw err;
  }

  // AI outputs are screened on the poster's bytes before anything is stored: a flagged one is held
  // for review (its owner sees it, nobody else) and its media go under private/, never on the CDN,
  // until a moderator releases it. A screening error throws: the event is retried.
  const refused = video.ai_job_id ? (await screenImage({ bytes: await readFile(files.poster) })).refused : [];
  const held = refused.length ? { reason: `held for review: ${describeRefusal(refused)}` } : undefined;
  const visibility = held ? 'private' : video.visibility;

  const original = originalKey(video.id, video.media_rev, video.content_type);
  const [uploaded] = await Promise.all([
    uploadRevisionFiles({ videoId: video.id, rev: video.media_rev, visibility }, files),
    // The validated bytes themselves (not a copy of the inbox object, which may have changed since).
    uploadFile(original, input, video.content_type),
  ]);
  return { media: { ...uploaded, size_bytes: size, original_key: original }, visibility, held };
}

type UploadedVideo = { id: string; owner_id: string; ai_job_id: string | null };

async function fail(db: DbOrTrx, video: UploadedVideo, key: string, reason: Reason): Promise<ProcessOutcome> {
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
  return 'failed';
}
