import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { ModerationAction, ReportTargetType, Role } from '../db/schema.ts';

/** The caller's role as the database has it now, row-locked for the write it guards. */
export async function lockRole(db: DbOrTrx, userId: string): Promise<Role | undefined> {
  const row = await db
    .selectFrom('users')
    .select('role')
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('suspended_at', 'is', null)
    .forShare()
    .executeTakeFirst();
  return row?.role;
}

/** One audit entry (moderation_actions is append-only: a trigger refuses anything but INSERT). */
export function insertAuditEntry(
  db: DbOrTrx,
  e: {
    moderator_id: string;
    action: ModerationAction;
    target_type: ReportTargetType | 'report';
    target_id: string;
    reason: string;
  },
) {
  return db
    .insertInto('moderation_actions')
    .values(e)
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function listAuditEntries(db: DbOrTrx, targetType: ReportTargetType | 'report', targetId: string) {
  return db
    .selectFrom('moderation_actions')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .orderBy('created_at')
    .execute();
}

/** Closes every open report on a target (`actioned` by a takedown or suspension). */
export function resolveReportsOn(
  db: DbOrTrx,
  targetType: ReportTargetType,
  targetId: string,
  moderatorId: string,
  status: 'actioned' | 'dismissed',
) {
  return db
    .updateTable('reports')
    .set({ status, resolved_at: sql`now()`, resolved_by: moderatorId })
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .execute();
}

/** Dismisses one open report; undefined when it is not open (or does not exist). */
export function dismissOpenReport(db: DbOrTrx, id: string, moderatorId: string) {
  return db
    .updateTable('reports')
    .set({ status: 'dismissed', resolved_at: sql`now()`, resolved_by: moderatorId })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning(['id', 'target_type', 'target_id', 'reason', 'note', 'status', 'created_at'])
    .executeTakeFirst();
}

export type QueueSort = 'newest' | 'most_reported';
export interface QueueCursor {
  /** latest report (epoch µs), report count, target id of the last group */
  t: string;
  n: number;
  id: string;
}

/**
 * Open reports grouped by target (reports_open_target_idx): newest report first, or most reports
 * first (ties: newest). Keyset-paginated on the aggregates, with the target id as tiebreaker.
 */
export function listQueueGroups(db: DbOrTrx, opts: { sort: QueueSort; cursor?: QueueCursor; limit: number }) {
  const latest = sql<string>`(extract(epoch from max(r.created_at)) * 1000000)::bigint`;
  const count = sql<number>`count(*)::int`;
  let q = db
    .selectFrom('reports as r')
    .select([
      'r.target_type',
      'r.target_id',
      count.as('report_count'),
      sql<Date>`max(r.created_at)`.as('latest_report_at'),
      sql<string>`${latest}::text`.as('latest_us'),
      sql<string[]>`array_agg(DISTINCT r.reason ORDER BY r.reason)`.as('reasons'),
      sql<string[]>`(array_agg(r.note ORDER BY r.created_at DESC) FILTER (WHERE r.note <> ''))[1:3]`.as(
        'notes',
      ),
    ])
    .where('r.status', '=', 'open')
    .groupBy(['r.target_type', 'r.target_id']);
  const c = opts.cursor;
  if (opts.sort === 'newest') {
    if (c) q = q.having(sql<boolean>`(${latest}, r.target_id) < (${c.t}::bigint, ${c.id}::uuid)`);
    q = q.orderBy(latest, 'desc').orderBy('r.target_id', 'desc');
  } else {
    if (c)
      q = q.having(
        sql<boolean>`(${count}, ${latest}, r.target_id) < (${c.n}::int, ${c.t}::bigint, ${c.id}::uuid)`,
      );
    q = q.orderBy(count, 'desc').orderBy(latest, 'desc').orderBy('r.target_id', 'desc');
  }
  return q.limit(opts.limit).execute();
}

/** What the queue shows of each target: a caption, a comment's body or a username, and its owner. */
export async function describeTargets(
  db: DbOrTrx,
  targets: { target_type: ReportTargetType; target_id: string }[],
) {
  const idsOf = (t: ReportTargetType) => targets.filter((x) => x.target_type === t).map((x) => x.target_id);
  const [videos, comments, users] = await Promise.all([
    idsOf('video').length
      ? db
          .selectFrom('videos')
          .select(['id', 'owner_id', sql<string>`caption`.as('text'), 'removed_at'])
          .where('id', 'in', idsOf('video'))
          .execute()
      : [],
    idsOf('comment').length
      ? db
          .selectFrom('comments')
          .select(['id', 'author_id as owner_id', sql<string>`body`.as('text'), 'removed_at'])
          .where('id', 'in', idsOf('comment'))
          .execute()
      : [],
    idsOf('user').length
      ? db
          .selectFrom('users')
          .select(['id', 'id as owner_id', sql<string>`username`.as('text'), 'suspended_at as removed_at'])
          .where('id', 'in', idsOf('user'))
          .execute()
      : [],
  ]);
  return new Map([...videos, ...comments, ...users].map((r) => [r.id, r]));
}

/** A video for moderation, whatever its state (deleted ones excepted). */
export function lockVideoForModeration(db: DbOrTrx, id: string) {
  return db
    .selectFrom('videos')
    .select([
      'id',
      'owner_id',
      'status',
      'removed_at',
      'media_purged_at',
      'visibility',
      'media_rev',
      'playback_key',
      'poster_key',
      'preview_key',
      'caption',
    ])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function setVideoRemoval(
  db: DbOrTrx,
  id: string,
  removal: { reason: string; purged: boolean } | null,
) {
  return db
    .updateTable('videos')
    .set(
      removal
        ? {
            removed_at: sql`now()`,
            removed_reason: removal.reason,
            ...(removal.purged ? { media_purged_at: sql`now()` } : {}),
            updated_at: sql`now()`,
          }
        : { removed_at: null, removed_reason: null, updated_at: sql`now()` },
    )
    .where('id', '=', id)
    .execute();
}

/** A held AI output becomes ready (its poster frame was reviewed and is fine). */
export async function releaseHeldVideo(db: DbOrTrx, id: string): Promise<boolean> {
  const row = await db
    .updateTable('videos')
    .set({ status: 'ready', failure_reason: null, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export function lockUserForModeration(db: DbOrTrx, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'locale', 'role', 'suspended_at'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export function setSuspension(db: DbOrTrx, id: string, reason: string | null) {
  return db
    .updateTable('users')
    .set(
      reason
        ? { suspended_at: sql`now()`, suspended_reason: reason, updated_at: sql`now()` }
        : { suspended_at: null, suspended_reason: null, updated_at: sql`now()` },
    )
    .where('id', '=', id)
    .execute();
}

/** The owner's address and language, for the notice of an action on their content. */
export function findNoticeRecipient(db: DbOrTrx, userId: string) {
  return db
    .selectFrom('users')
    .select(['email', 'locale'])
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The first admin: by e-mail, from the CLI only (never the API). */
export function setRoleByEmail(db: DbOrTrx, email: string, role: Role) {
  return db
    .updateTable('users')
    .set({ role, updated_at: sql`now()` })
    .where('email', '=', email.toLowerCase())
    .where('deleted_at', 'is', null)
    .returning(['id', 'email', 'role'])
    .executeTakeFirst();
}
