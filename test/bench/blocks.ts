import type pg from 'pg';

/**
 * Blocks for the bench (issue 13): every feed and search request of the bench is block-filtered
 * for its viewer (shared/blocks/filter.ts inside shared/videos/visibility.ts), so the viewers
 * the plans sign in as (plans.ts: the first VIEWERS users by md5(id)) each block
 * BLOCKS_PER_VIEWER people and are blocked by as many others, and 1 % of everyone blocks one
 * person. Pairs that follow each other are skipped, as a real block would have removed their
 * follows. Runs after `users` (the seed's task graph: `{ name: 'blocks', deps: ['users'], run }`).
 */
export const BLOCKS_PER_VIEWER = 200;

export async function seedBlocks(c: pg.Client, viewers: number): Promise<number> {
  const r = await c.query(
    `WITH ranked AS (SELECT id, row_number() OVER (ORDER BY md5(id::text)) AS rn FROM users),
          shuffled AS (SELECT id, row_number() OVER (ORDER BY md5(id::text || 'blocks')) AS rn FROM users),
          viewer AS (SELECT id, rn FROM ranked WHERE rn <= $1),
          pairs AS (
            -- each viewer blocks BLOCKS_PER_VIEWER people…
            SELECT v.id AS blocker, s.id AS blocked FROM viewer v
              JOIN shuffled s ON s.rn > (v.rn - 1) * $2 AND s.rn <= v.rn * $2
            UNION
            -- …and is blocked by as many others,
            SELECT s.id, v.id FROM viewer v
              JOIN shuffled s ON s.rn > ($1 + v.rn - 1) * $2 AND s.rn <= ($1 + v.rn) * $2
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
