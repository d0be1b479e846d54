import { type ExpressionBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { cachedQuery } from '../db/compiled-cache.ts';
import { reusePlan } from '../db/plan-reuse.ts';
import type { Database, Video, VideoOrigin, VideoStatus, Visibility } from '../db/schema.ts';
import { type Cursor, cursorFromParams, cursorParams, epochMicros, olderThan } from '../pagination/keyset.ts';
import { publiclyVisibleTo, visibleTo } from './visibility.ts';

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
      'v.allow_glitches',
      'v.allow_frame_capture',
      'v.ai_model',
      'v.removed_at',
      'v.removed_reason',
      'v.source_key',
      'v.thumbnail_key',
      'v.playback_key',
      'v.poster_key',
      'v.preview_key',
      'v.music_job_id',
      'v.music_model',
      'v.music_licence',
      'v.music_licence_url',
      'v.created_at',
      'v.updated_at',
      'u.username as owner_username',
      'u.display_name as owner_display_name',
      'u.avatar_key as owner_avatar_key',
      'g.source_video_id as glitch_source_id',
      'g.kind as glitch_kind',
      epochMicros('v.created_at').as('created_us'),
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
      visibleTo(viewerId, 'src')(eb).as('glitch_source_available'),
    ]);
}

export type VideoViewRow = Awaited<
  ReturnType<ReturnType<typeof selectVideoViews>['executeTakeFirstOrThrow']>
>;

/** A video the viewer may see (visibility.ts), as a full view row. */
export function findVisibleVideo(db: DbOrTrx, id: string, viewerId: string | null) {
  return reusePlan(
    selectVideoViews(db, viewerId).where('v.id', '=', id).where(visibleTo(viewerId)),
  ).executeTakeFirst();
}

/**
 * The same rule, reading only what likes and comments need (owner and counters). No row lock:
 * the counters are updated with relative `SET x = x ± 1` statements, which serialise on the row
 * by themselves.
 */
export function findVisibleVideoStats(db: DbOrTrx, id: string, viewerId: string | null) {
  return db
    .selectFrom('videos as v')
    .select(['v.id', 'v.owner_id', 'v.like_count', 'v.comment_count'])
    .where('v.id', '=', id)
    .where(visibleTo(viewerId))
    .executeTakeFirst();
}

type ListOptions = {
  viewerId: string | null;
  ownerId?: string;
  followedBy?: string;
  cursor?: Cursor;
  limit: number;
  excludeAi?: boolean;
};

/**
 * The feed in all its forms (everyone's, one person's, the people followed), newest first. The
 * hottest statement of the API: its SQL is built once per shape (compiled-cache.ts) and its
 * plan reused (plan-reuse.ts), so the page size is a literal (one statement per page size). Block
 * filters appear only with a viewer (a separate shape), so the anonymous feed keeps one generic plan.
 */
export async function listPublicVideos(db: DbOrTrx, opts: ListOptions): Promise<VideoViewRow[]> {
  const params = {
    viewerId: opts.viewerId,
    ownerId: opts.ownerId,
    followedBy: opts.followedBy,
    ...cursorParams(opts.cursor),
  };
  const { rows } = await cachedQuery(db, 'listPublicVideos', { params, shape: videoPageShape(opts) }, (p) =>
    listPublicVideosQuery(db, {
      viewerId: p.viewerId ?? null,
      ownerId: p.ownerId ?? undefined,
      followedBy: p.followedBy ?? undefined,
      cursor: cursorFromParams(p),
      limit: opts.limit,
      excludeAi: opts.excludeAi,
    }),
  );
  return rows;
}

/**
 * What changes a cached video page's SQL text (compiled-cache.ts): the page size, a literal for
 * plan reuse, and whether AI videos are left out.
 */
export function videoPageShape(opts: { limit: number; excludeAi?: boolean }): string {
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 1) throw new Error(`bad page size ${opts.limit}`);
  return `limit ${opts.limit}${opts.excludeAi ? ' no-ai' : ''}`;
}

/**
 * The feed statement (latest, one person's, or following), block-filtered for the viewer
 * (shared/videos/visibility.ts): the EXPLAIN test and the bench plan it as the app sends it.
 */
export function listPublicVideosQuery(db: DbOrTrx, opts: ListOptions) {
  let q = selectVideoViews(db, opts.viewerId).where(
    publiclyVisibleTo(opts.viewerId, 'v', { excludeAi: opts.excludeAi }),
  );
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
              .where('fv.status', '=', sql.lit('ready'))
              .where('fv.visibility', '=', sql.lit('public'))
              .where('fv.deleted_at', 'is', null);
            if (cursor) own = own.where(olderThan('fv.created_at', 'fv.id', cursor));
            return own
              .orderBy('fv.created_at', 'desc')
              .orderBy('fv.id', 'desc')
              .limit(sql.lit(limit))
              .as('fv');
          },
          (join) => join.onTrue(),
        )
        .select('fv.id')
        .where('f.follower_id', '=', follower)
        .orderBy('fv.created_at', 'desc')
        .orderBy('fv.id', 'desc')
        .limit(sql.lit(limit)),
    );
  }
  if (opts.cursor) q = q.where(olderThan('v.created_at', 'v.id', opts.cursor));
  return reusePlan(q.orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').limit(sql.lit(opts.limit)));
}

/**
 * A new video in `uploading`: a person's upload, or an AI job's output (its id is the job's,
 * `ai_model` the model that made it). Its remix consent starts as the owner's defaults for new
 * uploads (users.default_allow_glitches / default_allow_frame_capture).
 */
export function insertVideo(
  db: DbOrTrx,
  video: {
    id: string;
    owner_id: string;
    source_key: string;
    content_type: string;
    caption: string;
    declared_size_bytes?: number;
    visibility?: Visibility;
    origin?: VideoOrigin;
    ai_job_id?: string;
    /** The model that made it (AI outputs): the view's `ai_generated` label. */
    ai_model?: string;
  },
) {
  const defaults = (column: 'default_allow_glitches' | 'default_allow_frame_capture') =>
    sql<boolean>`(SELECT ${sql.ref(column)} FROM users WHERE id = ${video.owner_id})`;
  return db
    .insertInto('videos')
    .values({
      ...video,
      allow_glitches: defaults('default_allow_glitches'),
      allow_frame_capture: defaults('default_allow_frame_capture'),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** The video whose inbox object is `key` (the S3 event's object). */
export function findVideoBySourceKey(db: DbOrTrx, key: string) {
  return db
    .selectFrom('videos')
    .select([
      'id',
      'owner_id',
      'status',
      'deleted_at',
      'content_type',
      'declared_size_bytes',
      'ai_job_id',
      'playback_key',
      'media_rev',
      'visibility',
      'media_purged_at',
    ])
    .where('source_key', '=', key)
    .executeTakeFirst();
}

export function findVideoState(db: DbOrTrx, id: string) {
  return db.selectFrom('videos').select(['status', 'source_key']).where('id', '=', id).executeTakeFirst();
}

/** States a video is still being made in; only these move to `ready` or `failed`. */
export const OPEN_VIDEO_STATES = ['uploading', 'processing'] as const;

/**
 * Starts a processing run on a live video that is still being made and that no other run holds:
 * `processing`, a lease of `leaseSeconds`, and the next media revision, which is this run's alone
 * (its objects never collide with another run's). Undefined when the video is finished, deleted,
 * or held by a run whose lease has not run out (a duplicate event: that run will finish it).
 */
export function claimVideoForProcessing(db: DbOrTrx, id: string, leaseSeconds: number) {
  return db
    .updateTable('videos')
    .set((eb) => ({
      status: 'processing',
      media_rev: eb('media_rev', '+', 1),
      processing_lease_until: sql`now() + make_interval(secs => ${leaseSeconds})`,
      updated_at: sql`now()`,
    }))
    .where('id', '=', id)
    .where('status', 'in', OPEN_VIDEO_STATES)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('processing_lease_until', 'is', null), eb('processing_lease_until', '<', sql<Date>`now()`)]),
    )
    .returning(['media_rev', 'visibility', 'removed_at'])
    .executeTakeFirst();
}

/** The SQL side of mediaVisibility (media.ts): the video's media still belong under `placement`'s prefix. */
function placedAs(placement: Visibility) {
  return (eb: ExpressionBuilder<Database, 'videos'>) =>
    placement === 'public'
      ? eb.and([eb('visibility', '=', 'public'), eb('removed_at', 'is', null)])
      : eb.or([eb('visibility', '=', 'private'), eb('removed_at', 'is not', null)]);
}

/** Extends the lease of the run holding revision `rev` (nothing if another run took over). */
export function renewProcessingLease(db: DbOrTrx, id: string, rev: number, leaseSeconds: number) {
  return db
    .updateTable('videos')
    .set({ processing_lease_until: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where('id', '=', id)
    .where('media_rev', '=', rev)
    .where('status', '=', 'processing')
    .execute();
}

/** Lets the next event take the video at once (the run holding `rev` ended without making it ready). */
export function releaseProcessingLease(db: DbOrTrx, id: string, rev: number) {
  return db
    .updateTable('videos')
    .set({ processing_lease_until: null })
    .where('id', '=', id)
    .where('media_rev', '=', rev)
    .execute();
}

/** Fails a video that is still in one of `from` (a finished one is left alone). */
export function markVideoFailed(
  db: DbOrTrx,
  id: string,
  reason: string,
  from: readonly VideoStatus[] = OPEN_VIDEO_STATES,
) {
  return db
    .updateTable('videos')
    .set({ status: 'failed', failure_reason: reason, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'in', from)
    .execute();
}

export interface ProcessedMedia {
  duration_ms: number;
  width: number;
  height: number;
  size_bytes: number;
  playback_key: string;
  poster_key: string;
  preview_key: string;
  original_key: string;
}

/**
 * Makes a live video that is still being made `ready` (or `held`: an AI output that failed
 * screening, with why) with the media of revision `rev`; returns whether this call did it (so only
 * one of two concurrent runs counts the video). Refused when a later run took a newer revision or
 * the visibility changed since the run started (its media went under the other prefix). A held
 * video's media are private whatever its visibility (mediaVisibility), so a change does not matter.
 */
export async function markVideoReady(
  db: DbOrTrx,
  id: string,
  /** The revision the run claimed and where it placed the media (mediaVisibility at its claim). */
  run: { rev: number; visibility: Visibility },
  media: ProcessedMedia,
  held?: { reason: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('videos')
    .set({
      status: held ? 'held' : 'ready',
      failure_reason: held ? held.reason : null,
      ...media,
      processing_lease_until: null,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('status', 'in', OPEN_VIDEO_STATES)
    .where('deleted_at', 'is', null)
    .where('media_rev', '=', run.rev)
    .$if(!held, (qb) => qb.where(placedAs(run.visibility)))
    .where('media_purged_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return Boolean(updated);
}

/** What every revision of a video's media can be rebuilt from (storage/keys.ts), deleted or not. */
export function findVideoMediaRefs(db: DbOrTrx, id: string) {
  return db
    .selectFrom('videos')
    .select(['id', 'source_key', 'thumbnail_key', 'content_type', 'media_rev'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * A ready video's served media moved to revision `media_rev`: a visibility change (same rendition), or a
 * soundtrack (a new rendition, whose facts and music come with it).
 */
export function setVideoMedia(
  db: DbOrTrx,
  id: string,
  media: { media_rev: number; playback_key: string; poster_key: string; preview_key: string } & Partial<
    Pick<
      Video,
      | 'duration_ms'
      | 'width'
      | 'height'
      | 'music_job_id'
      | 'music_model'
      | 'music_licence'
      | 'music_licence_url'
    >
  >,
) {
  return db
    .updateTable('videos')
    .set({ ...media, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/**
 * Hands out the next media revision of a live ready video to a run that will make it (a soundtrack),
 * with what that run reads: the kept original (or, before revisions, the upload) and where to write.
 * The served keys do not change until that run swaps them in (lockServedMedia + setVideoMedia).
 */
export function claimVideoRevision(db: DbOrTrx, id: string) {
  return db
    .updateTable('videos')
    .set((eb) => ({ media_rev: eb('media_rev', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'ready')
    .where('deleted_at', 'is', null)
    .returning(['id', 'media_rev', 'visibility', 'removed_at', 'original_key', 'source_key'])
    .executeTakeFirst();
}

/** The served media of a video, locked for a swap (deleted or not, any status). */
export function lockServedMedia(db: DbOrTrx, id: string) {
  return db
    .selectFrom('videos')
    .select([
      'id',
      'status',
      'deleted_at',
      'media_rev',
      'visibility',
      'removed_at',
      'playback_key',
      'poster_key',
      'preview_key',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
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
/** Who made a video (any state), to lock their account before the video's rows. */
export async function findVideoOwner(db: DbOrTrx, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('videos').select('owner_id').where('id', '=', id).executeTakeFirst();
  return row?.owner_id;
}

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
      'media_rev',
      'playback_key',
      'poster_key',
      'preview_key',
      'owner_id',
      'removed_at',
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
  patch: {
    caption?: string;
    visibility?: Visibility;
    allow_glitches?: boolean;
    allow_frame_capture?: boolean;
  },
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

export type { VideoStatus };

/** Marks a video whose account was deleted once its media is gone (a tombstone kept for glitch chains). */
export const ACCOUNT_DELETED_REASON = 'account deleted';

/**
 * Account deletion, at once: every live video of the person disappears (soft delete, as
 * deleteVideo does) and stops counting, including their glitches on others' videos' glitch_count
 * (unless the account is suspended: `counted` false, its glitches were on no count).
 */
export async function hideAllVideosOf(db: DbOrTrx, ownerId: string, counted: boolean): Promise<void> {
  if (counted)
    await sql`
    UPDATE videos s SET glitch_count = s.glitch_count - c.n
    FROM (SELECT g.source_video_id, count(*)::int AS n
          FROM video_glitches g JOIN videos v ON v.id = g.glitch_video_id
          WHERE v.owner_id = ${ownerId} AND v.deleted_at IS NULL
          GROUP BY g.source_video_id) c
    WHERE s.id = c.source_video_id`.execute(db);
  await db
    .updateTable('videos')
    .set({ deleted_at: sql`now()`, updated_at: sql`now()` })
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .execute();
  await db.updateTable('users').set({ video_count: 0 }).where('id', '=', ownerId).execute();
}

/** A deleted account's videos whose media and rows the worker has not dealt with yet. */
export function listVideosToPurge(db: DbOrTrx, ownerId: string, limit: number) {
  return db
    .selectFrom('videos as v')
    .select('v.id')
    .select((eb) => [
      // Another person's glitch (at any depth) was made from it: the row stays as a tombstone.
      eb
        .exists(
          eb
            .selectFrom('video_glitches as g')
            .innerJoin('videos as gv', 'gv.id', 'g.glitch_video_id')
            .select(sql`1`.as('one'))
            .where((w) =>
              w.or([w('g.source_video_id', '=', w.ref('v.id')), w('g.root_video_id', '=', w.ref('v.id'))]),
            )
            .where('gv.owner_id', '<>', ownerId),
        )
        .as('in_others_chains'),
    ])
    .where('v.owner_id', '=', ownerId)
    .where((eb) => eb('v.failure_reason', 'is distinct from', ACCOUNT_DELETED_REASON))
    .orderBy('v.id')
    .limit(limit)
    .execute();
}

/** After its media is gone: a tombstone (no caption, no tags) or no row at all. */
export async function purgeVideoRow(db: DbOrTrx, videoId: string, keepTombstone: boolean): Promise<void> {
  if (!keepTombstone) {
    await db.deleteFrom('videos').where('id', '=', videoId).execute();
    return;
  }
  await db.deleteFrom('video_hashtags').where('video_id', '=', videoId).execute();
  await db
    .updateTable('videos')
    .set({
      caption: '',
      thumbnail_key: null,
      playback_key: null,
      poster_key: null,
      preview_key: null,
      status: 'failed',
      failure_reason: ACCOUNT_DELETED_REASON,
      updated_at: sql`now()`,
    })
    .where('id', '=', videoId)
    .execute();
}

/** A video's owner and remix consent (shared/videos/consent.ts). */
/**
 * Holds a live video against deletion until the transaction ends (FOR SHARE: a deletion's UPDATE
 * waits; other readers don't). Undefined when it is deleted already.
 */
export function holdLiveVideo(db: DbOrTrx, id: string) {
  return db
    .selectFrom('videos')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forShare()
    .executeTakeFirst();
}
