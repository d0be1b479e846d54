import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { cachedQuery } from '../db/compiled-cache.ts';
import { reusePlan } from '../db/plan-reuse.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { cursorFromParams, cursorParams, epochMicros, olderThan } from '../pagination/keyset.ts';
import { selectVideoViews, type VideoViewRow, videoPageShape } from '../videos/repository.ts';
import { isPubliclyVisible, publiclyVisibleTo } from '../videos/visibility.ts';
import { extractHashtags } from './extract.ts';

/**
 * Makes a video's hashtag links exactly the tags of its caption: creates unseen tags, adds
 * new links and removes the ones the caption no longer has. Runs in the caller's transaction
 * (video insert or caption edit) so links and caption never disagree.
 */
export async function syncVideoHashtags(trx: DbOrTrx, videoId: string, caption: string): Promise<string[]> {
  // Sorted: concurrent captions sharing new tags insert them in one order, so the unique
  // index waits cannot form a cycle (deadlock).
  const tags = extractHashtags(caption).sort();
  let ids: string[] = [];
  if (tags.length) {
    await trx
      .insertInto('hashtags')
      .columns(['tag'])
      .expression(sql`SELECT unnest(${tags}::text[])`)
      .onConflict((oc) => oc.column('tag').doNothing())
      .execute();
    // A separate statement sees tags another transaction committed while we waited on them.
    const rows = await trx.selectFrom('hashtags').select('id').where('tag', 'in', tags).execute();
    ids = rows.map((r) => r.id);
  }
  let removal = trx.deleteFrom('video_hashtags').where('video_id', '=', videoId);
  if (ids.length) removal = removal.where('hashtag_id', 'not in', ids);
  await removal.execute();
  if (ids.length) {
    // video_created_at is copied in SQL: a JS Date would cut it to milliseconds, and the tag
    // pages' keyset cursors need it equal to the video's own microsecond timestamp.
    await trx
      .insertInto('video_hashtags')
      .columns(['video_id', 'hashtag_id', 'video_created_at'])
      .expression((eb) =>
        eb
          .selectFrom('videos as v')
          .select(['v.id', sql<string>`unnest(${ids}::uuid[])`.as('hashtag_id'), 'v.created_at'])
          .where('v.id', '=', videoId),
      )
      .onConflict((oc) => oc.columns(['video_id', 'hashtag_id']).doNothing())
      .execute();
  }
  return tags;
}

type HashtagVideosOptions = {
  tag: string;
  viewerId: string | null;
  cursor?: Cursor;
  limit: number;
  excludeAi?: boolean;
};

/**
 * A tag's public ready videos, newest first: a hot list like the feed, so built once per shape
 * (compiled-cache.ts) and sent with its plan reused (plan-reuse.ts). On 1M videos planning its
 * five joins took 0.9 ms against 0.4 ms of running it (BENCHMARKS.md).
 */
export async function listTaggedVideos(
  db: DbOrTrx,
  opts: HashtagVideosOptions,
): Promise<(VideoViewRow & { tagged_us: string })[]> {
  const params = { tag: opts.tag, viewerId: opts.viewerId, ...cursorParams(opts.cursor) };
  const { rows } = await cachedQuery(db, 'listTaggedVideos', { params, shape: videoPageShape(opts) }, (p) =>
    hashtagVideosQuery(db, {
      tag: p.tag,
      viewerId: p.viewerId ?? null,
      cursor: cursorFromParams(p),
      limit: opts.limit,
      excludeAi: opts.excludeAi,
    }),
  );
  return rows;
}

/**
 * The tag page's statement (the EXPLAIN test and the bench plan it as the app sends it). Walks
 * `video_hashtags_tag_idx` (hashtag_id, video_created_at DESC, video_id DESC) in order and stops
 * at the limit; an unknown tag is simply an empty page. The limit is a literal so that a generic
 * plan is one per page size (plan-reuse.ts).
 */
export function hashtagVideosQuery(db: DbOrTrx, opts: HashtagVideosOptions) {
  let q = selectVideoViews(db, opts.viewerId)
    .innerJoin('video_hashtags as vh', 'vh.video_id', 'v.id')
    .where('vh.hashtag_id', '=', (eb) =>
      eb.selectFrom('hashtags as h').select('h.id').where('h.tag', '=', opts.tag),
    )
    .where(publiclyVisibleTo(opts.viewerId, 'v', { excludeAi: opts.excludeAi }));
  if (opts.cursor) q = q.where(olderThan('vh.video_created_at', 'vh.video_id', opts.cursor));
  return reusePlan(
    q
      .select(epochMicros('vh.video_created_at').as('tagged_us'))
      .orderBy('vh.video_created_at', 'desc')
      .orderBy('vh.video_id', 'desc')
      .limit(sql.lit(opts.limit)),
  );
}

export const TRENDING_WINDOWS = { '24h': '24 hours', '7d': '7 days' } as const;
export type TrendingWindow = keyof typeof TRENDING_WINDOWS;

/**
 * The most used tags among public ready videos created in the window; ties go to the tag used
 * most recently. The window is applied to both `video_hashtags.video_created_at` (range scan
 * of `video_hashtags_recent_idx`) and `videos.created_at` (the same value, copied at link
 * time), so the planner can also range-scan `videos_feed_idx` instead of reading all videos.
 */
export function trendingHashtagsQuery(db: DbOrTrx, opts: { window: TrendingWindow; limit: number }) {
  const since = sql<Date>`now() - ${TRENDING_WINDOWS[opts.window]}::interval`;
  const counts = db
    .selectFrom('video_hashtags as vh')
    .innerJoin('videos as v', 'v.id', 'vh.video_id')
    .select((eb) => [
      'vh.hashtag_id',
      eb.fn.countAll<number>().as('video_count'),
      eb.fn.max('vh.video_created_at').as('last_used_at'),
    ])
    .where('vh.video_created_at', '>=', since)
    .where('v.created_at', '>=', since)
    .where(isPubliclyVisible)
    .groupBy('vh.hashtag_id')
    .orderBy('video_count', 'desc')
    .orderBy('last_used_at', 'desc')
    .limit(opts.limit);
  return db
    .selectFrom(counts.as('t'))
    .innerJoin('hashtags as h', 'h.id', 't.hashtag_id')
    .select(['h.tag', 't.video_count'])
    .orderBy('t.video_count', 'desc')
    .orderBy('t.last_used_at', 'desc');
}
