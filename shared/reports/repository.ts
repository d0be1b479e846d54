import { sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import type { ReportReason, ReportTargetType } from '../db/schema.ts';

const REPORT_COLUMNS = ['id', 'target_type', 'target_id', 'reason', 'note', 'status', 'created_at'] as const;

/**
 * One open report per (reporter, target) (`reports_open_once`): a repeat, even a concurrent one,
 * inserts nothing and answers the open report. The conflict target repeats the partial index's
 * predicate with a literal so PostgreSQL can infer it.
 */
export async function insertOrFindOpenReport(
  db: DbOrTrx,
  r: {
    reporter_id: string;
    target_type: ReportTargetType;
    target_id: string;
    reason: ReportReason;
    note: string;
  },
) {
  const created = await db
    .insertInto('reports')
    .values(r)
    .onConflict((oc) =>
      oc
        .columns(['reporter_id', 'target_type', 'target_id'])
        .where('status', '=', sql.lit('open'))
        .doNothing(),
    )
    .returning(REPORT_COLUMNS)
    .executeTakeFirst();
  if (created) return { report: created, created: true };
  const open = await findOpenReport(db, r.reporter_id, r.target_type, r.target_id);
  return { report: open!, created: false };
}

export function findOpenReport(
  db: DbOrTrx,
  reporterId: string,
  targetType: ReportTargetType,
  targetId: string,
) {
  return db
    .selectFrom('reports')
    .select(REPORT_COLUMNS)
    .where('reporter_id', '=', reporterId)
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

/** How many reports of the target are open (the moderation queue groups them into one entry). */
export async function countOpenReportsOn(db: DbOrTrx, targetType: ReportTargetType, targetId: string) {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The people who work the moderation queue: live moderators and admins. */
export function listStaffIds(db: DbOrTrx) {
  return db
    .selectFrom('users')
    .select('id')
    .where('role', 'in', ['moderator', 'admin'])
    .where('suspended_at', 'is', null)
    .where('deleted_at', 'is', null)
    .execute();
}

/** Reports filed in the last hour (reports_reporter_recent_idx). */
export async function countRecentReports(db: DbOrTrx, reporterId: string): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('reporter_id', '=', reporterId)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Serialises one reporter's filings, so the hourly limit holds under concurrent requests. */
export async function lockReporter(db: DbOrTrx, reporterId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`report:${reporterId}`}, 0))`.execute(db);
}
