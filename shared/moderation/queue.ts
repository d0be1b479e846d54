import * as z from 'zod/mini';
import type { DbOrTrx } from '../db/client.ts';
import { NotFoundError } from '../http/errors.ts';
import { decodeOpaqueCursor, encodeOpaqueCursor, toPage } from '../pagination/keyset.ts';
import { mediaUrl } from '../storage/media-url.ts';
import { selectVideoViews } from '../videos/repository.ts';
import { toVideoViews } from '../videos/view.ts';
import { describeTargets, listAuditEntries, listQueueGroups, type QueueSort } from './repository.ts';

const QueueCursor = z.object({
  t: z.string().check(z.regex(/^\d{1,20}$/)),
  n: z.number().check(z.int(), z.gte(1)),
  id: z.uuid(),
});

/** One page of the moderation queue, each group with a preview of its target. */
export async function moderationQueuePage(
  db: DbOrTrx,
  q: { sort: QueueSort; cursor?: string; limit: number },
) {
  const cursor = decodeOpaqueCursor(QueueCursor, q.cursor);
  const rows = await listQueueGroups(db, { sort: q.sort, cursor, limit: q.limit + 1 });
  const page = toPage(
    rows,
    q.limit,
    (r) => ({ t: r.latest_us, n: r.report_count, id: r.target_id }),
    encodeOpaqueCursor,
  );
  const targets = await describeTargets(db, page.rows);
  return {
    items: page.rows.map((r) => {
      const t = targets.get(r.target_id);
      return {
        target_type: r.target_type,
        target_id: r.target_id,
        report_count: r.report_count,
        latest_report_at: r.latest_report_at,
        reasons: r.reasons as never[],
        notes: r.notes ?? [],
        preview: t?.text ?? null,
        owner_id: t?.owner_id ?? null,
        already_removed: Boolean(t?.removed_at),
      };
    }),
    next_cursor: page.next_cursor,
  };
}

/** Any live video for review, as its owner sees it, with review URLs and its audit log. */
export async function moderatedVideo(db: DbOrTrx, id: string) {
  const row = await selectVideoViews(db, null)
    .where('v.id', '=', id)
    .where('v.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Video');
  const [video] = await toVideoViews([row], row.owner_id);
  const purged = await db
    .selectFrom('videos')
    .select('media_purged_at')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const reviewable = !purged.media_purged_at && row.status !== 'uploading';
  const poster = row.poster_key ?? row.thumbnail_key;
  return {
    video: video!,
    // Signed whatever the media's prefix (a taken-down video's are private); older videos: the upload.
    review_video_url: reviewable ? await mediaUrl(row.playback_key ?? row.source_key) : null,
    review_thumbnail_url: reviewable && poster ? await mediaUrl(poster) : null,
    audit: await listAuditEntries(db, 'video', id),
  };
}
