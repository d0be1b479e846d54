import type { ExpressionBuilder } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: one predicate serves every table alias of its callers
type AnyEb = ExpressionBuilder<any, any>;

/**
 * THE block rule as one composable predicate: `column` (a user id in the caller's query: a
 * video's owner, a comment's author, a follower, a notification's actor) is neither blocked by
 * the viewer nor blocking the viewer. A block works both ways.
 *
 * Written as `NOT IN (both directions of the viewer's blocks)`: PostgreSQL evaluates the
 * subquery once per statement (two index scans of blocks_pkey / blocks_blocked_idx) and filters
 * rows against a hashed set, so the plan around it (feed index walks, trigram lookups) keeps its
 * shape: a filter, not a join. Logged out, nothing is blocked.
 */
export function notBlockedWith(viewerId: string | null, column: string) {
  return (eb: AnyEb) => {
    if (!viewerId) return eb.lit(true);
    return eb(
      column,
      'not in',
      eb
        .selectFrom('blocks as lokiz_bk')
        .select('lokiz_bk.blocked_id as uid')
        .where('lokiz_bk.blocker_id', '=', viewerId)
        .unionAll(
          eb
            .selectFrom('blocks as lokiz_bd')
            .select('lokiz_bd.blocker_id as uid')
            .where('lokiz_bd.blocked_id', '=', viewerId),
        ),
    );
  };
}

/**
 * A suspended account's content and profile are hidden from everyone (moderators read them
 * through the moderation routes). The set of suspended accounts is small and partially indexed
 * (users_suspended_idx), so this is one hashed set per statement as well.
 */
export function notSuspended(column: string) {
  return (eb: AnyEb) =>
    eb(
      column,
      'not in',
      eb.selectFrom('users as lokiz_su').select('lokiz_su.id').where('lokiz_su.suspended_at', 'is not', null),
    );
}

/** A person the viewer may see: not suspended, no block either way. */
export function userVisibleTo(viewerId: string | null, column: string) {
  return (eb: AnyEb) => eb.and([notSuspended(column)(eb), notBlockedWith(viewerId, column)(eb)]);
}
