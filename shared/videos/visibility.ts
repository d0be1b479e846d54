import { type ExpressionBuilder, sql } from 'kysely';

/**
 * THE visibility rule for videos, used by every read path: a video is visible when it is not
 * deleted and is either public and ready (anyone, logged out included) or the viewer's own
 * (any state). Everything else looks missing (404), so private and unfinished videos cannot be
 * probed through likes, comments, glitch chains or the studio.
 *
 * `alias` names the videos table in the caller's query (`v` by default; `src` for a glitch's
 * source). The builder is untyped on purpose: one predicate serves every alias. The constants
 * are SQL literals, not parameters: the partial feed/search indexes are defined on them, and a
 * reused (generic) plan can only use those indexes if it sees them (shared/db/plan-reuse.ts).
 */
export function visibleTo(viewerId: string | null, alias = 'v') {
  // biome-ignore lint/suspicious/noExplicitAny: the alias is chosen by the caller's query
  return (eb: ExpressionBuilder<any, any>) =>
    eb.and([
      eb(`${alias}.deleted_at`, 'is', null),
      eb.or([
        eb.and([
          eb(`${alias}.status`, '=', sql.lit('ready')),
          eb(`${alias}.visibility`, '=', sql.lit('public')),
        ]),
        ...(viewerId ? [eb(`${alias}.owner_id`, '=', viewerId)] : []),
      ]),
    ]);
}

/** What the feed, search, tag pages and chains list: visible to everyone (`visibleTo(null)`). */
export const isPubliclyVisible = visibleTo(null);
