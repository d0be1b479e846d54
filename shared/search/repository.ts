import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../db/client.ts';
import { normalizeTag } from '../hashtags/extract.ts';
import type { Cursor } from '../pagination/keyset.ts';
import { olderThan } from '../pagination/keyset.ts';
import { selectUserViews } from '../users/repository.ts';
import { selectVideoViews } from '../videos/repository.ts';
import { isPubliclyVisible, publiclyVisibleTo } from '../videos/visibility.ts';
import { containsPattern, prefixPattern } from './pattern.ts';

/*
 * "Contains q, ignoring case" in any script, as an index lookup:
 * - 3+ characters: `lower(column) LIKE lower('%q%')`, the exact expression of the trigram GIN
 *   indexes (users_username_trgm, users_display_name_trgm, videos_caption_trgm,
 *   hashtags_tag_trgm);
 * - 2 characters (pg_trgm cannot narrow its index with fewer than 3): the character-pair
 *   indexes of migration 0005, `lokiz_bigrams(column) @> ARRAY[lower(q)]`.
 */

/** `lower(column) LIKE lower(pattern) ESCAPE '\'`. */
function likeLower(column: string, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) LIKE lower(${pattern}) ESCAPE '\\'`;
}

function contains(column: string, q: string): RawBuilder<boolean> {
  const like = likeLower(column, containsPattern(q));
  if ([...q].length !== 2) return like;
  // The LIKE is implied but cheap: when the planner walks another index instead (newest
  // first), Postgres evaluates the cheaper condition first and skips the function call.
  return sql<boolean>`(lokiz_bigrams(${sql.ref(column)}) @> ARRAY[lower(${q})] AND ${like})`;
}

/** Tags are stored case-folded, and hashtags_tag_trgm indexes `tag` itself. */
function tagContains(tag: string): RawBuilder<boolean> {
  const like = sql<boolean>`h.tag LIKE ${containsPattern(tag)} ESCAPE '\\'`;
  if ([...tag].length !== 2) return like;
  return sql<boolean>`(lokiz_bigrams(h.tag) @> ARRAY[${tag}::text] AND ${like})`;
}

/** Relevance tiers: exact username, username prefix, display-name prefix, anywhere. */
function userRank(q: string): RawBuilder<number> {
  const prefix = prefixPattern(q);
  return sql<number>`CASE
    WHEN lower(u.username) = lower(${q}) THEN 0
    WHEN lower(u.username) LIKE lower(${prefix}) ESCAPE '\\' THEN 1
    WHEN lower(u.display_name) LIKE lower(${prefix}) ESCAPE '\\' THEN 2
    ELSE 3 END`;
}

export interface UserSearchCursor {
  /** rank tier, follower_count, id of the last row */
  r: number;
  f: number;
  id: string;
}

/**
 * People whose username or display name contains q: best tier first, then most followed,
 * then id (a total order, so the keyset cursor never skips or repeats within a snapshot).
 */
export function searchUsersQuery(
  db: DbOrTrx,
  opts: { q: string; viewerId: string | null; cursor?: UserSearchCursor; limit: number },
) {
  const rank = userRank(opts.q);
  let query = selectUserViews(db, opts.viewerId)
    .select(rank.as('rank'))
    .where((eb) => eb.or([contains('u.username', opts.q), contains('u.display_name', opts.q)]));
  if (opts.cursor) {
    const { r, f, id } = opts.cursor;
    query = query.where(
      sql<boolean>`(${rank}, -u.follower_count, u.id) > (${r}::int, ${-f}::int, ${id}::uuid)`,
    );
  }
  return query.orderBy(rank).orderBy('u.follower_count', 'desc').orderBy('u.id').limit(opts.limit);
}

/**
 * How many of the newest public videos a caption search reads before it asks the trigram (or
 * character-pair) index. A term that fills the page within them is common, and walking the
 * feed index newest first finds it at once; a rarer one is looked up in the index, among the
 * older videos, where it is rare too (unless it was popular long ago), so sorting its matches
 * is cheap. Benchmarks: BENCHMARKS.md.
 */
export const SEARCH_WINDOW = 2000;

/**
 * Public ready videos whose caption contains q, newest first.
 *
 * Not one `WHERE caption LIKE … ORDER BY created_at DESC LIMIT n`: PostgreSQL has no
 * statistics for substrings and guesses a term's frequency from its length, so at 1M videos it
 * either read and sorted every match of a long common word through the trigram index, joins
 * included (1.8 s for a word in 4 % of captions), or walked the whole feed index looking for a
 * short rare one (8 s for `xyz`, which matches nothing). Instead, in one statement:
 * 1. `recent`: the newest SEARCH_WINDOW public videos (after the cursor), walking
 *    videos_feed_idx; `hits`: the first `limit` of them whose caption contains q;
 * 2. only when that page is not full and the window was full (so older videos exist):
 *    `beyond`, every match older than the window, through videos_caption_trgm or, for 2
 *    characters, videos_caption_bigram (the predicates repeat the indexes' partial predicate
 *    so they apply), materialised so the planner cannot walk the feed index for it instead;
 *    its newest `limit`;
 * 3. the view (owner, liked_by_me, glitch source) for those ids only.
 * Same rows and order as the plain query: the window holds every visible row newer than its
 * oldest one, so its matches come first.
 */
export function searchVideosQuery(
  db: DbOrTrx,
  opts: { q: string; viewerId: string | null; cursor?: Cursor; limit: number; excludeAi?: boolean },
) {
  const visible = publiclyVisibleTo(opts.viewerId, 'v', { excludeAi: opts.excludeAi });
  let recent = db.selectFrom('videos as v').select(['v.id', 'v.created_at', 'v.caption']).where(visible);
  let older = db
    .selectFrom('videos as v')
    .select(['v.id', 'v.created_at'])
    .where(visible)
    .where(contains('v.caption', opts.q));
  if (opts.cursor) {
    recent = recent.where(olderThan('v.created_at', 'v.id', opts.cursor));
    older = older.where(olderThan('v.created_at', 'v.id', opts.cursor));
  }
  const window = recent.orderBy('v.created_at', 'desc').orderBy('v.id', 'desc').limit(SEARCH_WINDOW);
  // Conditions without a column are evaluated once, first and in order: when the window
  // filled the page, the index is never read (and `recent` only as far as the page needed).
  const beyond = older
    .where(sql<boolean>`(SELECT count(*) FROM hits) < ${opts.limit}`)
    .where(sql<boolean>`(SELECT count(*) FROM recent) = ${SEARCH_WINDOW}`)
    .where(
      sql<boolean>`(v.created_at, v.id) < (SELECT r.created_at, r.id FROM recent r ORDER BY r.created_at, r.id LIMIT 1)`,
    );
  const pageIds = sql<string>`(
    WITH recent AS MATERIALIZED (${window}),
    hits AS (
      SELECT id, created_at FROM recent WHERE ${likeLower('caption', containsPattern(opts.q))}
      ORDER BY created_at DESC, id DESC LIMIT ${opts.limit}
    ),
    beyond AS MATERIALIZED (${beyond})
    SELECT id FROM hits
    UNION ALL
    (SELECT id FROM beyond ORDER BY created_at DESC, id DESC LIMIT ${opts.limit})
  )`;
  return selectVideoViews(db, opts.viewerId)
    .where(visible)
    .where('v.id', 'in', pageIds)
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(opts.limit);
}

/**
 * Hashtags containing `tag` (see hashtagSearchTerm), exact and prefix matches first. Only
 * tags with at least one public ready video: a tag used only on private videos stays private.
 */
export function searchHashtagsQuery(db: DbOrTrx, opts: { tag: string; limit: number }) {
  const { tag } = opts;
  return db
    .selectFrom('hashtags as h')
    .select('h.tag')
    .where(tagContains(tag))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('video_hashtags as vh')
          .innerJoin('videos as v', 'v.id', 'vh.video_id')
          .select(sql`1`.as('one'))
          .whereRef('vh.hashtag_id', '=', 'h.id')
          .where(isPubliclyVisible),
      ),
    )
    .orderBy(
      sql`CASE WHEN h.tag = ${tag} THEN 0 WHEN h.tag LIKE ${prefixPattern(tag)} ESCAPE '\\' THEN 1 ELSE 2 END`,
    )
    .orderBy(sql`char_length(h.tag)`)
    .orderBy('h.tag')
    .limit(opts.limit);
}

/** The tag part of a search (`#Glitch` → `glitch`); null when too short to look up. */
export function hashtagSearchTerm(q: string): string | null {
  const tag = normalizeTag(q.replace(/^[#＃]/, ''));
  return [...tag].length >= 2 ? tag : null;
}
