import { type ExpressionBuilder, sql } from 'kysely';
import { notBlockedWith, notSuspended } from '../blocks/filter.ts';

// biome-ignore lint/suspicious/noExplicitAny: the alias is chosen by the caller's query
type AnyEb = ExpressionBuilder<any, any>;

/**
 * What everyone may see of a video, seen by `viewerId`: live (not deleted), ready, public, not
 * taken down by a moderator, its owner not suspended, and no block between owner and viewer
 * (shared/blocks/filter.ts). `excludeAi` hides videos a model made (the "hide AI content" switch).
 * Logged out, no viewer-specific filter is added, so the anonymous feed stays one reusable
 * generic plan (shared/db/plan-reuse.ts).
 */
export function publiclyVisibleTo(viewerId: string | null, alias = 'v', opts: { excludeAi?: boolean } = {}) {
  return (eb: AnyEb) =>
    eb.and([
      eb(`${alias}.deleted_at`, 'is', null),
      eb(`${alias}.status`, '=', sql.lit('ready')),
      eb(`${alias}.visibility`, '=', sql.lit('public')),
      eb(`${alias}.removed_at`, 'is', null),
      notSuspended(`${alias}.owner_id`)(eb),
      ...(viewerId ? [notBlockedWith(viewerId, `${alias}.owner_id`)(eb)] : []),
      ...(opts.excludeAi ? [eb(`${alias}.origin`, '=', sql.lit('upload'))] : []),
    ]);
}

/**
 * THE visibility rule for videos, used by every read path: a video is visible when it is not
 * deleted and is either publicly visible to the viewer (above) or the viewer's own (any state,
 * taken down and held included: the owner sees why). Everything else looks missing (404), so
 * private, unfinished, taken-down, held and blocked videos cannot be probed through likes,
 * comments, glitch chains or the studio.
 *
 * `alias` names the videos table in the caller's query (`v` by default; `src` for a glitch's
 * source). The builder is untyped on purpose: one predicate serves every alias. The constants
 * are SQL literals, not parameters: the partial feed/search indexes are defined on them, and a
 * reused (generic) plan can only use those indexes if it sees them (shared/db/plan-reuse.ts).
 */
export function visibleTo(viewerId: string | null, alias = 'v') {
  return (eb: AnyEb) =>
    viewerId
      ? eb.and([
          eb(`${alias}.deleted_at`, 'is', null),
          eb.or([publiclyVisibleTo(viewerId, alias)(eb), eb(`${alias}.owner_id`, '=', viewerId)]),
        ])
      : publiclyVisibleTo(null, alias)(eb);
}

/** `exclude_ai` when the request says, else the caller's "hide AI content" setting. */
export function excludeAiFor(requested: boolean | undefined, user: { excludeAi: boolean } | null): boolean {
  return requested ?? user?.excludeAi ?? false;
}

/** What the feed, search, tag pages and chains list for a logged-out caller. */
export const isPubliclyVisible = publiclyVisibleTo(null);
