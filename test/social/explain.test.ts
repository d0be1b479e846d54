import { randomBytes } from 'node:crypto';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest } from '../../shared/db/migrate.ts';
import type { Database } from '../../shared/db/schema.ts';
import { hashtagVideosQuery, trendingHashtagsQuery } from '../../shared/hashtags/repository.ts';
import { searchHashtagsQuery, searchUsersQuery, searchVideosQuery } from '../../shared/search/repository.ts';
import { listPublicVideosQuery } from '../../shared/videos/repository.ts';

/**
 * The search and hashtag queries, exactly as the repositories build them, planned against a
 * seeded database of 100k users, videos and hashtags: none may read videos, users, hashtags or video_hashtags with
 * a sequential scan. Runs in its own database so the statistics are ours alone.
 */
const WATCHED = new Set(['videos', 'users', 'hashtags', 'video_hashtags', 'blocks']);
const ROWS = 100_000;
/** A viewer with blocks both ways (the block-filtered feed and search are planned for them). */
const BLOCKING_VIEWER = '00000000-0000-4000-8000-0000000000b1';

const dbName = `lokiz_explain_${randomBytes(4).toString('hex')}`;
const serverUrl = inject('postgresServerUrl');
let db: Kysely<Database>;
let client: pg.Client;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * 100k users, videos and hashtags and 120k tag links, set-based in a few statements, with
 * foreign key triggers skipped (session_replication_role): seconds instead of a minute. Realistic mixes: 10 % private, 5 % unfinished, 2 %
 * deleted videos over 350 days; a few rare and common words, Hangul included.
 */
async function seed(c: pg.Client) {
  await c.query(`SET session_replication_role = replica; SET work_mem = '64MB';
                 SET maintenance_work_mem = '256MB'`);
  await c.query(`
    INSERT INTO users (email, username, password_hash, display_name, follower_count)
    SELECT 'u' || g || '@example.test', 'user_' || g || '_' || substr(md5(g::text), 1, 6), 'x',
           CASE WHEN g % 20 = 0 THEN '트릭스터 ' || g ELSE 'Person ' || substr(md5(g::text), 1, 8) END,
           g % 997
    FROM generate_series(1, ${ROWS}) g`);
  await c.query(`INSERT INTO users (id, email, username, password_hash, display_name)
                 VALUES ('${BLOCKING_VIEWER}', 'viewer@example.test', 'blocking_viewer', 'x', 'Viewer')`);
  await c.query(`
    WITH owners AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users)
    INSERT INTO videos (owner_id, status, visibility, caption, source_key, thumbnail_key, content_type,
                        created_at, deleted_at)
    SELECT o.id,
           CASE WHEN g % 20 = 0 THEN 'processing' ELSE 'ready' END,
           CASE WHEN g % 10 = 0 THEN 'private' ELSE 'public' END,
           substr(md5(g::text), 1, 10) || ' ' || CASE WHEN g % 97 = 0 THEN '#트릭스터 영상'
                                                     WHEN g % 31 = 0 THEN 'Glitch art #glitch' ELSE 'clip' END,
           'uploads/' || g || '.mp4', 'thumbnails/' || g || '.jpg', 'video/mp4',
           now() - g * interval '5 minutes',
           CASE WHEN g % 50 = 0 THEN now() END
    FROM generate_series(1, ${ROWS}) g JOIN owners o ON o.rn = g`);
  await c.query(`
    INSERT INTO hashtags (tag)
    SELECT 'tag' || g || '_' || substr(md5(g::text), 1, 4) FROM generate_series(1, ${ROWS}) g
    UNION ALL SELECT '트릭스터' UNION ALL SELECT 'glitch'`);
  await c.query(`
    WITH v AS (SELECT id, created_at, caption, row_number() OVER (ORDER BY created_at DESC) AS rn FROM videos),
         h AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM hashtags WHERE tag LIKE 'tag%')
    INSERT INTO video_hashtags (video_id, hashtag_id, video_created_at)
    SELECT v.id, h.id, v.created_at FROM v JOIN h ON h.rn = (v.rn % 5000) + 1
    UNION ALL
    SELECT v.id, h.id, v.created_at FROM v JOIN h ON h.rn = ((v.rn * 7 + 3) % ${ROWS}) + 1 WHERE v.rn % 5 = 0
    UNION ALL
    SELECT v.id, h.id, v.created_at FROM v JOIN hashtags h
      ON (h.tag = '트릭스터' AND v.caption LIKE '%#트릭스터%') OR (h.tag = 'glitch' AND v.caption LIKE '%#glitch%')`);
  // The per-row lookups (followed_by_me, liked_by_me, glitch source) need realistic tables too.
  await c.query(`
    WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users)
    INSERT INTO follows (follower_id, followee_id)
    SELECT a.id, b.id FROM u a JOIN u b ON b.rn = (a.rn * 13 + 1) % ${ROWS} + 1 WHERE a.id <> b.id`);
  await c.query(`
    WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users),
         v AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM videos)
    INSERT INTO likes (user_id, video_id)
    SELECT u.id, v.id FROM u JOIN v ON v.rn = (u.rn * 17 + 5) % ${ROWS} + 1`);
  await c.query(`
    WITH v AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM videos)
    INSERT INTO video_glitches (glitch_video_id, source_video_id, root_video_id, kind, depth)
    SELECT g.id, s.id, s.id, 'animate', 1 FROM v g JOIN v s ON s.rn = g.rn + 1 WHERE g.rn % 20 = 0`);
  // Blocks (issue 13): half the people block someone, and the EXPLAIN viewer blocks 200 people and
  // is blocked by 200 more; 100 suspended accounts.
  await c.query(`
    WITH u AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM users)
    INSERT INTO blocks (blocker_id, blocked_id)
    SELECT a.id, b.id FROM u a JOIN u b ON b.rn = (a.rn * 7 + 3) % ${ROWS} + 1 WHERE a.rn % 2 = 0 AND a.id <> b.id
    UNION
    SELECT '${BLOCKING_VIEWER}', b.id FROM u b WHERE b.rn % 500 = 1 AND b.id <> '${BLOCKING_VIEWER}'
    UNION
    SELECT b.id, '${BLOCKING_VIEWER}' FROM u b WHERE b.rn % 500 = 2 AND b.id <> '${BLOCKING_VIEWER}'`);
  await c.query(`UPDATE users SET suspended_at = now(), suspended_reason = 'seed'
                 WHERE id IN (SELECT id FROM users ORDER BY id OFFSET 10 LIMIT 100)`);
}

/**
 * Bulk loads go faster into bare tables, as pg_restore knows: the migrations' secondary
 * indexes are dropped, and re-created after the load from their own definitions
 * (pg_get_indexdef), so the plans below are planned against exactly what the migrations built.
 */
async function withIndexesBuiltAfterwards(c: pg.Client, load: () => Promise<void>) {
  const { rows } = await c.query<{ name: string; def: string }>(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
    WHERE t.relname IN ('users', 'videos', 'hashtags', 'video_hashtags', 'follows', 'likes', 'video_glitches', 'blocks')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`);
  for (const r of rows) await c.query(`DROP INDEX ${r.name}`);
  await load();
  for (const r of rows) await c.query(r.def);
}

beforeAll(async () => {
  await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
  db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: `${serverUrl}/${dbName}`, max: 1 }),
    }),
  });
  await migrateToLatest(db);
  client = new pg.Client({ connectionString: `${serverUrl}/${dbName}` });
  await client.connect();
  await withIndexesBuiltAfterwards(client, () => seed(client));
  await client.query('RESET ALL');
  await client.query('VACUUM ANALYZE');
}, 120_000);

afterAll(async () => {
  await client?.end();
  await db?.destroy();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** EXPLAIN of the compiled statement with its bound parameters, as the app sends it. */
async function explain(query: { compile(): CompiledQuery }) {
  const compiled = query.compile();
  const res = await client.query(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, compiled.parameters as unknown[]);
  const plan = (res.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  const all = nodes(plan);
  if (process.env.EXPLAIN_VERBOSE) {
    const scans = all.filter((n) => n['Relation Name'] || n['Index Name']);
    console.log(
      scans.map((n) => `${n['Node Type']} ${n['Relation Name'] ?? ''} ${n['Index Name'] ?? ''}`).join('\n'),
    );
  }
  return {
    seqScans: all.filter((n) => n['Node Type'] === 'Seq Scan' && WATCHED.has(n['Relation Name'] ?? '')),
    indexes: new Set(all.map((n) => n['Index Name']).filter(Boolean)),
  };
}

const viewerId = '00000000-0000-4000-8000-000000000001';

describe('search and hashtag queries on 100k rows use indexes', () => {
  it('user search (username or display name, Latin and Hangul, 2+ characters)', async () => {
    for (const q of ['user_123', 'USER_4567_', '트릭스터 123']) {
      const plan = await explain(searchUsersQuery(db, { q, viewerId, limit: 21 }));
      expect(plan.seqScans, q).toEqual([]);
      expect(plan.indexes, q).toContain('users_username_trgm');
      expect(plan.indexes, q).toContain('users_display_name_trgm');
    }
    // Two characters: too short for trigrams, served by the character-pair indexes.
    for (const q of ['트릭', 'Ab']) {
      const plan = await explain(searchUsersQuery(db, { q, viewerId, limit: 21 }));
      expect(plan.seqScans, q).toEqual([]);
      expect(plan.indexes, q).toContain('users_username_bigram');
      expect(plan.indexes, q).toContain('users_display_name_bigram');
    }
    const page2 = await explain(
      searchUsersQuery(db, {
        q: 'user_99',
        viewerId: null,
        cursor: { r: 3, f: 10, id: viewerId },
        limit: 21,
      }),
    );
    expect(page2.seqScans).toEqual([]);
  });

  it('video caption search (Latin and Hangul, 2+ characters, first and later pages)', async () => {
    for (const q of ['glitch art', '트릭스터', 'c4ca42', '트릭', 'ar']) {
      const plan = await explain(searchVideosQuery(db, { q, viewerId: null, limit: 21 }));
      expect(plan.seqScans, q).toEqual([]);
      if (q.length > 2) expect(plan.indexes, q).toContain('videos_caption_trgm');
      const later = await explain(
        searchVideosQuery(db, {
          q,
          viewerId,
          cursor: { t: `${Date.now() * 1000}`, id: viewerId },
          limit: 21,
        }),
      );
      expect(later.seqScans, q).toEqual([]);
    }
  });

  it('hashtag search', async () => {
    const plan = await explain(searchHashtagsQuery(db, { tag: 'glitch', limit: 5 }));
    expect(plan.seqScans).toEqual([]);
    expect(plan.indexes).toContain('hashtags_tag_trgm');
    const short = await explain(searchHashtagsQuery(db, { tag: '트릭', limit: 5 }));
    expect(short.seqScans).toEqual([]);
    expect(short.indexes).toContain('hashtags_tag_bigram');
  });

  it("a tag's videos, first and later pages", async () => {
    const first = await explain(hashtagVideosQuery(db, { tag: 'glitch', viewerId, limit: 21 }));
    expect(first.seqScans).toEqual([]);
    expect(first.indexes).toContain('video_hashtags_tag_idx');
    const { rows } = await client.query(`SELECT tag FROM hashtags WHERE tag LIKE 'tag%' LIMIT 1`);
    const later = await explain(
      hashtagVideosQuery(db, {
        tag: rows[0].tag,
        viewerId: null,
        cursor: { t: `${(Date.now() - 86_400_000) * 1000}`, id: viewerId },
        limit: 21,
      }),
    );
    expect(later.seqScans).toEqual([]);
    expect(later.indexes).toContain('video_hashtags_tag_idx');
  });

  it('trending over 24 h and 7 d', async () => {
    for (const window of ['24h', '7d'] as const) {
      const plan = await explain(trendingHashtagsQuery(db, { window, limit: 20 }));
      expect(plan.seqScans, window).toEqual([]);
      expect(plan.indexes, window).toContain('video_hashtags_recent_idx');
    }
  });
});

describe('feed and search with block filtering (issue 13) on 100k rows stay index-backed', () => {
  /** The block set is read once per statement, from both indexes of blocks: a filter, not a join. */
  function expectBlockSetFromIndexes(plan: Awaited<ReturnType<typeof explain>>, label: string) {
    expect(plan.seqScans, label).toEqual([]);
    expect(plan.indexes, label).toContain('blocks_pkey');
    expect(plan.indexes, label).toContain('blocks_blocked_idx');
  }

  it('latest feed, first and later pages, with and without exclude_ai', async () => {
    for (const excludeAi of [false, true]) {
      const first = await explain(
        listPublicVideosQuery(db, { viewerId: BLOCKING_VIEWER, limit: 21, excludeAi }),
      );
      expectBlockSetFromIndexes(first, `first ${excludeAi}`);
      expect(first.indexes).toContain('videos_feed_idx');
      const later = await explain(
        listPublicVideosQuery(db, {
          viewerId: BLOCKING_VIEWER,
          cursor: { t: `${(Date.now() - 30 * 86_400_000) * 1000}`, id: viewerId },
          limit: 21,
          excludeAi,
        }),
      );
      expectBlockSetFromIndexes(later, `later ${excludeAi}`);
      expect(later.indexes).toContain('videos_feed_idx');
    }
  });

  it("following feed and a person's videos", async () => {
    const following = await explain(
      listPublicVideosQuery(db, { viewerId: BLOCKING_VIEWER, followedBy: BLOCKING_VIEWER, limit: 21 }),
    );
    expectBlockSetFromIndexes(following, 'following');
    const { rows } = await client.query(`SELECT id FROM users WHERE username LIKE 'user_5%' LIMIT 1`);
    const profile = await explain(
      listPublicVideosQuery(db, { viewerId: BLOCKING_VIEWER, ownerId: rows[0].id, limit: 21 }),
    );
    expectBlockSetFromIndexes(profile, 'profile');
  });

  it('video and user search, and a tag page', async () => {
    for (const q of ['glitch art', '트릭', 'c4ca42']) {
      const videos = await explain(
        searchVideosQuery(db, { q, viewerId: BLOCKING_VIEWER, limit: 21, excludeAi: true }),
      );
      expectBlockSetFromIndexes(videos, q);
      const users = await explain(searchUsersQuery(db, { q, viewerId: BLOCKING_VIEWER, limit: 21 }));
      expectBlockSetFromIndexes(users, `users ${q}`);
    }
    const tag = await explain(
      hashtagVideosQuery(db, { tag: 'glitch', viewerId: BLOCKING_VIEWER, limit: 21 }),
    );
    expectBlockSetFromIndexes(tag, 'tag');
    expect(tag.indexes).toContain('video_hashtags_tag_idx');
  });
});
