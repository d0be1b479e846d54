import type pg from 'pg';

/**
 * Blocks for the bench (issue 13): every feed and search request of the bench is block-filtered
 * for its viewer (shared/blocks/filter.ts inside shared/videos/visibility.ts), so the viewers
 * the plans sign in as (plans.ts: the first VIEWERS users by md5(id)) each block
 * BLOCKS_PER_VIEWER people and are blocked by as many others, and 1 % of everyone blocks one
 * person. Pairs that follow each other are skipped, as a real block would have removed their
 * follows. Runs after `users` (the seed's task graph: `{ name: 'blocks', deps: ['users'], run }`).
 *
 * The same at every scale, so the 10k-video reference (1,000 users) filters as many blocks per
 * request as the full scale: each viewer's windows of the shuffled users wrap around the user
 * count. (They used to end at the last user, so at 1,000 users the viewers had 15 blocks on average
 * instead of 200, and the p99 comparison set block-filtered requests against nearly unfiltered
 * ones.) With 100k users no window wraps: the same pairs as before (checked). At 1,000 users a
 * viewer blocks 127-212 people and is blocked by 136-209: fewer where the pair follows each
 * other, more where viewers' windows overlap.
 */
export const BLOCKS_PER_VIEWER = 200;

export async function seedBlocks(c: pg.Client, viewers: number): Promise<number> {
  const r = await c.query(
    `WITH ranked AS (SELECT id, row_number() OVER (ORDER BY md5(id::text)) AS rn FROM users),
          shuffled AS (SELECT id, row_number() OVER (ORDER BY md5(id::text || 'blocks')) AS rn FROM users),
          n AS (SELECT count(*) AS users FROM users),
          viewer AS (SELECT id, rn FROM ranked WHERE rn <= $1),
          pairs AS (
            -- each viewer blocks BLOCKS_PER_VIEWER people (the window from (rn - 1) * $2, wrapping)…
            SELECT v.id AS blocker, s.id AS blocked FROM viewer v CROSS JOIN n
              JOIN shuffled s ON ((s.rn - 1 - (v.rn - 1) * $2) % n.users + n.users) % n.users < $2
            UNION
            -- …and is blocked by as many others (the window from ($1 + rn - 1) * $2, wrapping),
            SELECT s.id, v.id FROM viewer v CROSS JOIN n
              JOIN shuffled s ON ((s.rn - 1 - ($1 + v.rn - 1) * $2) % n.users + n.users) % n.users < $2
            UNION
            -- and 1 % of everyone blocks someone.
            SELECT a.id, b.id FROM ranked a JOIN shuffled b ON b.rn = a.rn WHERE a.rn % 100 = 7
          )
     INSERT INTO blocks (blocker_id, blocked_id, created_at)
     SELECT blocker, blocked, now() - random() * interval '100 days' FROM pairs p
     WHERE blocker <> blocked
       AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = p.blocker AND f.followee_id = p.blocked)
       AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = p.blocked AND f.followee_id = p.blocker)
     ON CONFLICT DO NOTHING`,
    [viewers, BLOCKS_PER_VIEWER],
  );
  return r.rowCount ?? 0;
}
