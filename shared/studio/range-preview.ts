import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbOrTrx } from '../db/client.ts';
import { ServiceUnavailableError, UnprocessableError } from '../http/errors.ts';
import { logger } from '../logging/logger.ts';
import { MediaProcessError, makeProxyClip } from '../media/index.ts';
import { rangePreviewKey } from '../storage/keys.ts';
import { withLocalCopy } from '../storage/local-copy.ts';
import { PRIVATE_IMMUTABLE_CACHE_CONTROL, uploadFile } from '../storage/s3.ts';
import { mediaDeadline, rethrowMediaTimeout, STUDIO_MEDIA_BUDGET_MS } from './media-deadline.ts';
import {
  claimPreview,
  dropPreviewClaim,
  findPreview,
  markPreviewReady,
  type PreviewId,
} from './repository.ts';
import type { MsRange } from './rules.ts';
import type { StudioSource } from './source-video.ts';

/**
 * How long a maker holds a range before others may take it over: longer than its ffmpeg budget plus the
 * transfers, so only a maker that died (a Lambda timed out or crashed) loses it.
 */
const LEASE_SECONDS = Math.ceil(STUDIO_MEDIA_BUDGET_MS / 1000) + 10;
/** How often a request waiting for another's ffmpeg run looks at the row. */
const POLL_MS = 150;

export interface RangePreview {
  key: string;
  duration_ms: number;
  width: number;
  height: number;
}

/**
 * The proxy clip of `range` of the video's served revision: made once, then served from S3. The row
 * per (video, revision, range) coordinates Lambdas that share no memory: the request that inserts it (or
 * takes over a dead maker's expired lease) runs ffmpeg; concurrent requests for the same range wait for
 * `ready` (no second ffmpeg run), up to the studio's media budget (then a retryable 503).
 */
export async function loadOrMakeRangePreview(
  db: DbOrTrx,
  video: StudioSource,
  range: MsRange,
): Promise<RangePreview> {
  const id: PreviewId = { video_id: video.id, media_rev: video.media_rev, ...range };
  const key = rangePreviewKey(video.id, video.media_rev, range.start_ms, range.end_ms);
  const giveUpAt = Date.now() + STUDIO_MEDIA_BUDGET_MS;
  for (;;) {
    if (await claimPreview(db, id, key, LEASE_SECONDS)) return makeRangePreview(db, video, id, key);
    const row = await findPreview(db, id);
    if (row?.status === 'ready' && row.duration_ms !== null && row.width !== null && row.height !== null) {
      return { key: row.clip_key, duration_ms: row.duration_ms, width: row.width, height: row.height };
    }
    if (Date.now() > giveUpAt) {
      throw new ServiceUnavailableError('The preview is still being made; try again', 'media_timeout');
    }
    await sleep(POLL_MS);
  }
}

async function makeRangePreview(
  db: DbOrTrx,
  video: StudioSource,
  id: PreviewId,
  key: string,
): Promise<RangePreview> {
  try {
    const clip = await withLocalCopy(video.media_key, async (input, dir) => {
      const out = join(dir, 'range.mp4');
      const probe = await makeProxyClip(input, {
        startMs: id.start_ms,
        endMs: id.end_ms,
        outPath: out,
        signal: mediaDeadline(),
      }).catch((err: unknown) => {
        if (err instanceof MediaProcessError && err.reason === 'no_output') {
          throw new UnprocessableError('The video has no picture in that range', id, 'range_outside_video');
        }
        return rethrowMediaTimeout(err);
      });
      // Studio media are never behind the CDN: signed URLs only, whatever the video's visibility.
      await uploadFile(key, out, 'video/mp4', PRIVATE_IMMUTABLE_CACHE_CONTROL);
      return { duration_ms: probe.durationMs, width: probe.width, height: probe.height };
    });
    await markPreviewReady(db, id, clip);
    logger.info('range preview made', { video_id: video.id, media_rev: id.media_rev, ...clip });
    return { key, ...clip };
  } catch (err) {
    await dropPreviewClaim(db, id).catch((dropErr: unknown) => {
      logger.warn('could not release a range preview', { error: dropErr as Error });
    });
    throw err;
  }
}
