import { type ExpressionBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { Database, VideoStatus, Visibility } from '../db/schema.ts';
import type { Cursor } from './cursor.ts';

/** Microsecond epoch of created_at, for exact keyset cursors. */
const createdUs = sql<string>`(extract(epoch from v.created_at) * 1000000)::bigint::text`;

/** Only rows the feed may show: ready, public, not deleted. */
export function isPubliclyVisible(eb: ExpressionBuilder<Database & { v: Database['videos'] }, 'v'>) {
  return eb.and([
    eb('v.status', '=', 'ready'),
    eb('v.visibility', '=', 'public'),
    eb('v.deleted_at', 'is', null),
  ]);
}

/**
 * Everything a video view needs in one query: owner summary, whether the viewer liked it,
 * and its glitch source. No per-row follow-up queries, whatever the page size.
 */
export function selectVideoViews(db: DbOrTrx, viewerId: string | null) {
  return db
    .selectFrom('videos as v')
    .innerJoin('users as u', 'u.id', 'v.owner_id')
    .leftJoin('video_glitches as g', 'g.glitch_video_id', 'v.id')
    .leftJoin('videos as src', 'src.id', 'g.source_video_id')
    .select([
      'v.id',
      'v.owner_id',
      'v.caption',
      'v.visibility',
      'v.status',
      'v.failure_reason',
      'v.origin',
      'v.duration_ms',
      'v.width',
      'v.height',
      'v.like_count',
      'v.comment_count',
      'v.glitch_count',
      'v.source_key',
      'v.thumbnail_key',
      'v.created_at',
      'v.updated_at',
      'u.username as owner_username',
      'u.display_name as owner_display_name',
      'u.avatar_key as owner_avatar_key',
      'g.source_video_id as glitch_source_id',
      'g.kind as glitch_kind',
      createdUs.as('created_us'),
    ])
    .select((eb) => [
      viewerId
        ? eb
            .exists(
              eb
                .selectFrom('likes as l')
                .select(sql`1`.as('one'))
                .whereRef('l.video_id', '=', 'v.id')
                .where('l.user_id', '=', viewerId),
            )
            .as('liked_by_me')
        : sql<boolean | null>`NULL`.as('liked_by_me'),
      eb
        .and([
          eb('src.deleted_at', 'is', null),
          eb.or([
            eb.and([eb('src.status', '=', 'ready'), eb('src.visibility', '=', 'public')]),
            ...(viewerId ? [eb('src.owner_id', '=', viewerId)] : []),
          ]),
        ])
        .as('glitch_source_available'),
    ]);
}

export type VideoViewRow = Awaited<
  ReturnType<ReturnType<typeof selectVideoViews>['executeTakeFirstOrThrow']>
>;

/** A video the viewer may see: public+ready for anyone, any state for its owner; never deleted. */
export function findVisibleVideo(db: DbOrTrx, id: string, viewerId: string | null) {
  return selectVideoViews(db, viewerId)
    .where('v.id', '=', id)
    .where('v.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('v.status', '=', 'ready'), eb('v.visibility', '=', 'public')]),
        ...(viewerId ? [eb('v.owner_id', '=', viewerId)] : []),
      ]),
    )
    .executeTakeFirst();
}

export function listPublicVideos(
  db: DbOrTrx,
  opts: { viewerId: string | null; ownerId?: string; followedBy?: string; cursor?: Cursor; limit: number },
) {
  let q = selectVideoViews(db, opts.viewerId).where(isPubliclyVisible);
  if (opts.ownerId) q = q.where('v.owner_id', '=', opts.ownerId);
  if (opts.followedBy) {
    // The newest `limit` videos of each person followed (an index-only scan of
    // videos_owner_feed_idx each), merged, and only then the view's joins for the page. The
    // plain `owner_id IN (followees)` let PostgreSQL read and join every video of every
    // followee before sorting: 190 ms for someone following 17 popular creators among 1M
    // videos, 1 ms now (BENCHMARKS.md). The predicates repeat the index's partial predicate.
    const { followedBy: follower, cursor, limit } = opts;
    q = q.where('v.id', 'in', (eb) =>
      eb
        .selectFrom('follows as f')
        .innerJoinLateral(
          (lb) => {
            let own = lb
              .selectFrom('videos as fv')
              .select(['fv.id', 'fv.created_at'])
              .whereRef('fv.owner_id', '=', 'f.followee_id')
              .where('fv.status', '=', 'ready')
              .where('fv.visibility', '=', 'public')
              .where('fv.deleted_at', 'is', null);
            if (cursor) {
              own = own.where(
                sql<boolean>`(fv.created_at, fv.id) < (timestamptz 'epoch' + ${cursor.t}::bigint * interval '1 microsecond', ${cursor.id}::uuid)`,
              );
            }
            return own.orderBy('fv.created_at', 'desc').orderBy('fv.id', 'desc').limit(limit).as('fv');
          },
          (join) => join.onTrue(),
        )
        .select('fv.id')
        .where('f.follower_id', '=', follower)
        .orderBy('fv.created_at', 'desc')
        .orderBy('fv.id', 'desc')
        .limit(limit),
    );
  }
  if (opts.cursor) {
    const { t, id } = opts.cursor;
    q = q.where(
      sql<boolean>`(v.created_at, v.id) < (timestamptz 'epoch' + ${t}::bigint * interval '1 microsecond', ${id}::uuid)`,
    );
  }
  return q.orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').limit(opts.limit).execute();
}

export function insertVideo(
  db: DbOrTrx,
  video: {
    id: string;
    owner_id: string;
    source_key: string;
    content_type: string;
    declared_size_bytes: number;
    caption: string;
    visibility: Visibility;
  },
) {
  return db.insertInto('videos').values(video).returning(['id', 'created_at']).executeTakeFirstOrThrow();
}

export function countRecentPendingUploads(db: DbOrTrx, ownerId: string) {
  return db
    .selectFrom('videos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'uploading')
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
}

/** Locks an owner's live video for a change; null when missing, deleted or someone else's. */
export function findOwnVideoForUpdate(db: DbOrTrx, id: string, ownerId: string) {
  return db
    .selectFrom('videos')
    .select([
      'id',
      'status',
      'caption',
      'visibility',
      'source_key',
      'thumbnail_key',
      'owner_id',
      'created_at',
    ])
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function updateVideoFields(
  db: DbOrTrx,
  id: string,
  patch: { caption?: string; visibility?: Visibility },
) {
  return db
    .updateTable('videos')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function markVideoDeleted(db: DbOrTrx, id: string) {
  return db
    .updateTable('videos')
    .set({ deleted_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function adjustUserVideoCount(db: DbOrTrx, userId: string, delta: 1 | -1) {
  return db
    .updateTable('users')
    .set((eb) => ({ video_count: eb('video_count', '+', delta) }))
    .where('id', '=', userId)
    .execute();
}

/** Decrements the source's glitch_count when a glitch made from it is deleted. */
export async function uncountGlitch(db: DbOrTrx, glitchVideoId: string) {
  await db
    .updateTable('videos')
    .set((eb) => ({ glitch_count: eb('glitch_count', '-', 1) }))
    .where('id', '=', (eb) =>
      eb.selectFrom('video_glitches').select('source_video_id').where('glitch_video_id', '=', glitchVideoId),
    )
    .where('glitch_count', '>', 0)
    .execute();
}

export type { VideoStatus };
