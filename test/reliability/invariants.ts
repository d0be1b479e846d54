import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../shared/db/client.ts';

/**
 * Whole-database invariants, checked after every reliability run: what the product promises
 * whatever happened on the way (faults, retries, duplicates, races). Each check is one SQL query
 * comparing a denormalised number with the rows it summarises.
 */
export interface Violation {
  invariant: string;
  /** The row it is about (user id, video id, job id, comment id). */
  subject: string;
  detail: string;
}

export interface InvariantOptions {
  /** Only look at these users and what they own (their videos, comments, jobs); default everything. */
  userIds?: readonly string[];
  /**
   * An open job (queued/starting/processing) not updated for longer than this is stuck. Default
   * 10 min; null skips the check (how long a job may wait is about the pipeline running, which
   * other files' tests legitimately stop).
   */
  openJobMaxAgeMs?: number | null;
}

export const TERMINAL_JOB_STATUSES = ['succeeded', 'failed', 'canceled', 'aborted'] as const;

type Row = Record<string, unknown>;

export async function checkInvariants(db: Db, opts: InvariantOptions = {}): Promise<Violation[]> {
  const scoped = opts.userIds !== undefined;
  const ids = [...(opts.userIds ?? [])];
  if (scoped && ids.length === 0) return [];
  const idList = sql.join(ids.map((id) => sql`${id}::uuid`));
  /** `AND <column> IN (the scoped users)` or nothing. */
  const inScope = (column: string) => (scoped ? sql`AND ${sql.ref(column)} IN (${idList})` : sql``);
  const maxAgeSeconds = Math.max(0, Math.round((opts.openJobMaxAgeMs ?? 10 * 60_000) / 1000));
  const violations: Violation[] = [];
  const run = async (invariant: string, query: RawBuilder<Row>, describe: (r: Row) => string) => {
    const { rows } = await query.execute(db);
    for (const r of rows) violations.push({ invariant, subject: String(r.id), detail: describe(r) });
  };

  // Credits: the ledger is the history of the balance, and a balance is never negative.
  await run(
    'ledger sum = users.credits',
    sql<Row>`
      SELECT u.id, u.credits, coalesce(l.total, 0)::int AS ledger, coalesce(l.entries, 0)::int AS entries
      FROM users u
      LEFT JOIN (SELECT user_id, sum(amount) AS total, count(*) AS entries FROM credit_ledger GROUP BY user_id) l
        ON l.user_id = u.id
      WHERE u.credits <> coalesce(l.total, 0) ${inScope('u.id')}`,
    (r) => `credits ${r.credits}, ledger sums to ${r.ledger} over ${r.entries} entries`,
  );
  await run(
    'credits >= 0',
    sql<Row>`SELECT u.id, u.credits FROM users u WHERE u.credits < 0 ${inScope('u.id')}`,
    (r) => `credits ${r.credits}`,
  );
  // Jobs and their money: one spend per paid job, one refund exactly for the unsuccessful ones.
  await run(
    'job spend/refund',
    sql<Row>`
      SELECT j.id, j.status, j.cost, j.kind,
        count(*) FILTER (WHERE l.reason = 'job_spend')::int AS spends,
        coalesce(sum(l.amount) FILTER (WHERE l.reason = 'job_spend'), 0)::int AS spent,
        count(*) FILTER (WHERE l.reason = 'job_refund')::int AS refunds,
        coalesce(sum(l.amount) FILTER (WHERE l.reason = 'job_refund'), 0)::int AS refunded,
        bool_or(v.status = 'failed' OR a.status = 'failed') AS result_failed
      FROM ai_jobs j
      LEFT JOIN credit_ledger l ON l.job_id = j.id
      LEFT JOIN videos v ON v.id = j.result_video_id
      LEFT JOIN media_assets a ON a.id = j.result_asset_id
      WHERE j.cost > 0 ${inScope('j.user_id')}
      GROUP BY j.id
      HAVING count(*) FILTER (WHERE l.reason = 'job_spend') <> 1
        OR coalesce(sum(l.amount) FILTER (WHERE l.reason = 'job_spend'), 0) <> -j.cost
        OR count(*) FILTER (WHERE l.reason = 'job_refund') > 1
        OR (j.status IN ('failed', 'canceled', 'aborted')
            AND coalesce(sum(l.amount) FILTER (WHERE l.reason = 'job_refund'), 0) <> j.cost)
        OR (j.status IN ('queued', 'starting', 'processing')
            AND count(*) FILTER (WHERE l.reason = 'job_refund') > 0)
        -- A succeeded job is refunded only when its output expired before we saved it.
        OR (j.status = 'succeeded' AND count(*) FILTER (WHERE l.reason = 'job_refund') > 0
            AND NOT coalesce(bool_or(v.status = 'failed' OR a.status = 'failed'), false))`,
    (r) =>
      `${r.kind} ${r.status} costing ${r.cost}: ${r.spends} spend(s) of ${r.spent}, ${r.refunds} refund(s) of ${r.refunded}` +
      (r.result_failed ? ' (result failed)' : ''),
  );
  if (opts.openJobMaxAgeMs !== null)
    await run(
      'job terminal or progressing',
      sql<Row>`
      SELECT j.id, j.status, j.kind, extract(epoch FROM now() - j.updated_at)::int AS idle_seconds
      FROM ai_jobs j
      WHERE j.status IN ('queued', 'starting', 'processing')
        AND j.updated_at < now() - make_interval(secs => ${maxAgeSeconds}) ${inScope('j.user_id')}`,
      (r) => `${r.kind} still ${r.status} after ${r.idle_seconds} s without an update`,
    );
  await run(
    'succeeded job has its one result',
    sql<Row>`
      SELECT j.id, j.kind, j.result_video_id, j.result_asset_id,
        (SELECT count(*) FROM videos v WHERE v.ai_job_id = j.id)::int AS videos,
        (SELECT count(*) FROM video_glitches g WHERE g.glitch_video_id = j.id)::int AS links
      FROM ai_jobs j
      WHERE j.status = 'succeeded' ${inScope('j.user_id')}
        AND CASE
          WHEN j.kind IN ('glitch_animate', 'glitch_replace', 'template') THEN
            j.result_video_id IS DISTINCT FROM j.id
            OR (SELECT count(*) FROM videos v WHERE v.ai_job_id = j.id) <> 1
            OR (j.kind <> 'template' AND j.source_video_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM videos s WHERE s.id = j.source_video_id)
                AND (SELECT count(*) FROM video_glitches g WHERE g.glitch_video_id = j.id) <> 1)
          WHEN j.kind = 'music' THEN
            j.result_asset_id IS DISTINCT FROM j.id
            OR NOT EXISTS (SELECT 1 FROM media_assets a WHERE a.id = j.id AND a.kind = 'audio')
          ELSE false
        END`,
    (r) =>
      `${r.kind}: result_video_id ${r.result_video_id}, result_asset_id ${r.result_asset_id}, ${r.videos} video(s), ${r.links} chain link(s)`,
  );
  await run(
    'unsuccessful job has no result',
    sql<Row>`
      SELECT j.id, j.kind, j.status FROM ai_jobs j
      WHERE j.status IN ('failed', 'canceled', 'aborted') ${inScope('j.user_id')}
        AND EXISTS (SELECT 1 FROM videos v WHERE v.ai_job_id = j.id)`,
    (r) => `${r.kind} ${r.status} but a video exists for it`,
  );

  // Video counters.
  // A like counts while the person who liked is not suspended (shared/users/standing.ts).
  const countedLikes = (video: string) => sql`(SELECT count(*) FROM likes l
    JOIN users lu ON lu.id = l.user_id AND lu.suspended_at IS NULL
    WHERE l.video_id = ${sql.ref(video)})::int`;
  await run(
    'videos.like_count = count(likes by accounts not suspended)',
    sql<Row>`
      SELECT v.id, v.like_count, ${countedLikes('v.id')} AS actual
      FROM videos v
      WHERE v.like_count <> ${countedLikes('v.id')} ${inScope('v.owner_id')}`,
    (r) => `like_count ${r.like_count}, ${r.actual} counted like row(s)`,
  );
  // A video counts the comments its thread shows: live (not soft-deleted), not taken down, by an
  // author who is not suspended, and for a reply, under a top-level comment that is all of those
  // too (a taken-down comment, or a suspended author's, hides its replies).
  const shownComments = (videoId: string) => sql`(
    SELECT count(*) FROM comments c
    JOIN users cu ON cu.id = c.author_id AND cu.suspended_at IS NULL
    LEFT JOIN comments p ON p.id = c.parent_id
    LEFT JOIN users pu ON pu.id = p.author_id
    WHERE c.video_id = ${sql.ref(videoId)} AND c.deleted_at IS NULL AND c.removed_at IS NULL
      AND (c.parent_id IS NULL OR (p.deleted_at IS NULL AND p.removed_at IS NULL AND pu.suspended_at IS NULL)))::int`;
  await run(
    'videos.comment_count = count(shown comments)',
    sql<Row>`
      SELECT v.id, v.comment_count, ${shownComments('v.id')} AS actual
      FROM videos v
      WHERE v.comment_count <> ${shownComments('v.id')}
        ${inScope('v.owner_id')}`,
    (r) => `comment_count ${r.comment_count}, ${r.actual} shown comment(s)`,
  );
  const countedReplies = sql`(SELECT count(*) FROM comments r
    JOIN users ru ON ru.id = r.author_id AND ru.suspended_at IS NULL
    WHERE r.parent_id = c.id AND r.deleted_at IS NULL AND r.removed_at IS NULL)::int`;
  await run(
    'comments.reply_count = count(live replies not taken down, by authors not suspended)',
    sql<Row>`
      SELECT c.id, c.reply_count, ${countedReplies} AS actual
      FROM comments c
      JOIN videos v ON v.id = c.video_id
      WHERE c.deleted_at IS NULL AND c.reply_count <> ${countedReplies}
        ${inScope('v.owner_id')}`,
    (r) => `reply_count ${r.reply_count}, ${r.actual} counted repl(ies)`,
  );
  // A deleted glitch stops counting on its source (uncountGlitch), so only live glitch videos count,
  // and a suspended maker's count nowhere (shared/users/standing.ts).
  await run(
    'videos.glitch_count = count(live glitches made from it, by makers not suspended)',
    sql<Row>`
      SELECT v.id, v.glitch_count, coalesce(g.n, 0)::int AS actual
      FROM videos v
      LEFT JOIN (
        SELECT g.source_video_id, count(*) AS n FROM video_glitches g
        JOIN videos gv ON gv.id = g.glitch_video_id AND gv.deleted_at IS NULL
        JOIN users gu ON gu.id = gv.owner_id AND gu.suspended_at IS NULL
        GROUP BY g.source_video_id
      ) g ON g.source_video_id = v.id
      WHERE v.glitch_count <> coalesce(g.n, 0) ${inScope('v.owner_id')}`,
    (r) => `glitch_count ${r.glitch_count}, ${r.actual} live glitch(es) link to it`,
  );
  await run(
    'video counters >= 0',
    sql<Row>`
      SELECT v.id, v.like_count, v.comment_count, v.glitch_count FROM videos v
      WHERE (v.like_count < 0 OR v.comment_count < 0 OR v.glitch_count < 0) ${inScope('v.owner_id')}`,
    (r) => `like ${r.like_count}, comment ${r.comment_count}, glitch ${r.glitch_count}`,
  );

  // User counters.
  // A follow counts while neither side is suspended; a suspended account's own counts are
  // rebuilt when its suspension is lifted, so they are not checked meanwhile.
  const counted = (mine: string, other: string) => sql`(SELECT count(*) FROM follows f
    JOIN users o ON o.id = f.${sql.raw(other)} AND o.suspended_at IS NULL
    WHERE f.${sql.raw(mine)} = u.id)::int`;
  const followers = counted('followee_id', 'follower_id');
  const following = counted('follower_id', 'followee_id');
  await run(
    'users.follower_count/following_count = count(follows between accounts not suspended)',
    sql<Row>`
      SELECT u.id, u.follower_count, u.following_count, ${followers} AS followers, ${following} AS following
      FROM users u
      WHERE u.suspended_at IS NULL
        AND (u.follower_count <> ${followers} OR u.following_count <> ${following})
        ${inScope('u.id')}`,
    (r) =>
      `follower_count ${r.follower_count} vs ${r.followers} row(s), following_count ${r.following_count} vs ${r.following} row(s)`,
  );
  await run(
    'users.video_count = count(ready, live videos)',
    sql<Row>`
      SELECT u.id, u.video_count,
        (SELECT count(*) FROM videos v WHERE v.owner_id = u.id AND v.status = 'ready' AND v.deleted_at IS NULL)::int AS actual
      FROM users u
      WHERE u.video_count <>
        (SELECT count(*) FROM videos v WHERE v.owner_id = u.id AND v.status = 'ready' AND v.deleted_at IS NULL)
        ${inScope('u.id')}`,
    (r) => `video_count ${r.video_count}, ${r.actual} ready live video(s)`,
  );
  return violations;
}

export function formatViolations(violations: readonly Violation[], examplesPerInvariant = 5): string {
  if (!violations.length) return 'no invariant violations';
  const byInvariant = new Map<string, Violation[]>();
  for (const v of violations) byInvariant.set(v.invariant, [...(byInvariant.get(v.invariant) ?? []), v]);
  const lines: string[] = [];
  for (const [invariant, list] of byInvariant) {
    lines.push(`  ${invariant}: ${list.length}`);
    for (const v of list.slice(0, examplesPerInvariant)) lines.push(`    ${v.subject}: ${v.detail}`);
    if (list.length > examplesPerInvariant)
      lines.push(`    … and ${list.length - examplesPerInvariant} more`);
  }
  return `${violations.length} invariant violation(s):\n${lines.join('\n')}`;
}
