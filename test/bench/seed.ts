import pg from 'pg';
import { seedBlocks } from './blocks.ts';
import { VARIANTS } from './plans.ts';
import type { Scale } from './scale.ts';
import {
  ADJECTIVES,
  CAPTION_WORDS,
  hashtagVocabulary,
  KOREAN_GIVEN_NAMES,
  KOREAN_SURNAMES,
  NOUNS,
} from './vocab.ts';

/**
 * Fills a freshly migrated database at a chosen scale, set-based (INSERT … SELECT over
 * generate_series) on two connections at once, the way pg_restore loads a dump: the
 * migrations' secondary indexes and the primary keys / unique constraints nothing refers to
 * are dropped first and rebuilt from their own definitions afterwards, and foreign key
 * triggers are skipped (session_replication_role = replica). Every row satisfies the app's
 * rules and every counter equals its rows, by construction:
 *
 * - users own videos with a power-law skew (owner = floor(random()^3 · users): user 0 is the
 *   hottest creator); followers per user are log-normal, the biggest counts going to the same
 *   hot creators; a pool of users follows hundreds of people (the following feed's worst case);
 * - videos: 97 % ready, 8 % private, 1 % deleted, 2 % glitches of an older video, spread over
 *   a year; captions of common and rare words (Korean among them) and 0–3 hashtags drawn with
 *   a steep skew (the first tags are hot), linked through video_hashtags with video_created_at
 *   copied from the video;
 * - likes and comments per video are log-normal (a few videos get thousands); likes are
 *   distinct (user, video) pairs by construction (users offset + k · stride mod users, stride
 *   coprime with the user count), so no ON CONFLICT is needed; 20 % of comments are replies to
 *   a top-level comment of the same video;
 * - like_count, comment_count, reply_count, glitch_count, follower/following/video counts are
 *   written with the rows they count; credits come with their signup_bonus ledger entry.
 */

export interface SeedPhase {
  name: string;
  ms: number;
  rows?: number;
}

export interface SeedReport {
  scale: Scale;
  phases: SeedPhase[];
  totalMs: number;
  counts: Record<string, number>;
  invariants: { name: string; ok: boolean; detail: string }[];
  /** When the database was seeded (a kept database is reused by later runs). */
  seededAt?: string;
}

/** Tables the seeder writes; their droppable indexes are rebuilt after the load. */
const LOADED_TABLES = [
  'users',
  'videos',
  'video_glitches',
  'likes',
  'comments',
  'follows',
  'hashtags',
  'video_hashtags',
  'credit_ledger',
];

interface Task {
  name: string;
  deps: string[];
  run(c: pg.Client): Promise<number | undefined>;
}

/** Runs tasks on `clients` connections as soon as their dependencies are done. */
async function runTasks(
  clients: pg.Client[],
  tasks: Task[],
  phases: SeedPhase[],
  log: (l: string) => void,
): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const names = new Set(tasks.map((t) => t.name));
  for (const t of tasks) {
    for (const d of t.deps) if (!names.has(d) && !done.has(d)) throw new Error(`${t.name}: unknown dep ${d}`);
  }
  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    const idle = [...clients];
    const pump = () => {
      if (failure) return;
      if (done.size === tasks.length) return resolve();
      for (const t of tasks) {
        if (!idle.length) break;
        if (started.has(t.name) || !t.deps.every((d) => done.has(d))) continue;
        started.add(t.name);
        const c = idle.shift()!;
        const t0 = performance.now();
        t.run(c).then(
          (rows) => {
            const ms = performance.now() - t0;
            phases.push({ name: t.name, ms, ...(rows !== undefined ? { rows } : {}) });
            log(`  ${t.name}: ${(ms / 1000).toFixed(1)} s${rows !== undefined ? ` (${rows} rows)` : ''}`);
            done.add(t.name);
            idle.push(c);
            pump();
          },
          (err: unknown) => {
            failure = err;
            reject(new Error(`seed task ${t.name} failed: ${String(err)}`));
          },
        );
      }
    };
    pump();
  });
}

/** Primes (strides) coprime with n, so k → (offset + k·stride) mod n is a bijection. */
function coprimeStrides(n: number, count: number): number[] {
  const out: number[] = [];
  for (let p = 7; out.length < count && p < Math.max(n, 8) * 4; p += 2) {
    let prime = true;
    for (let d = 3; d * d <= p; d += 2) {
      if (p % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime && n % p !== 0) out.push(p % n === 0 ? 1 : p);
  }
  return out.length ? out : [1];
}

const int = (n: number): string => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a count: ${n}`);
  return String(n);
};

/** A word drawn with a quadratic skew from $1 (CAPTION_WORDS): the first words are common. */
const word = (arr: string, len: number) => `(${arr})[1 + floor(power(random(), 2) * ${len})::int]`;

export async function seedDatabase(
  databaseUrl: string,
  scale: Scale,
  log: (line: string) => void,
): Promise<SeedReport> {
  const U = int(scale.users);
  const V = int(scale.videos);
  const T = int(scale.hashtags);
  const W = CAPTION_WORDS.length;
  const strides = coprimeStrides(scale.users, 200);
  const heavyPool = int(Math.max(16, Math.floor(scale.users / 500)));
  const tags = hashtagVocabulary(scale.hashtags);
  const phases: SeedPhase[] = [];
  const t0 = performance.now();

  const clients = [
    new pg.Client({ connectionString: databaseUrl }),
    new pg.Client({ connectionString: databaseUrl }),
  ];
  for (const [i, c] of clients.entries()) {
    await c.connect();
    await c.query(`SET session_replication_role = replica; SET work_mem = '256MB';
                   SET maintenance_work_mem = '512MB'; SET synchronous_commit = off;
                   SELECT setseed(${i === 0 ? 0.42 : -0.42})`);
  }
  const [a] = clients as [pg.Client, pg.Client];

  try {
    // 1. Drop what the load would otherwise maintain row by row.
    const tp = performance.now();
    const { rows: indexes } = await a.query<{ name: string; def: string; tbl: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, t.relname AS tbl
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
      [LOADED_TABLES],
    );
    const { rows: constraints } = await a.query<{ name: string; def: string; tbl: string }>(
      `SELECT k.conname AS name, pg_get_constraintdef(k.oid) AS def, t.relname AS tbl
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
       WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace AND k.contype IN ('p', 'u')
         AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)`,
      [LOADED_TABLES],
    );
    for (const r of indexes) await a.query(`DROP INDEX ${r.name}`);
    for (const r of constraints) await a.query(`ALTER TABLE ${r.tbl} DROP CONSTRAINT ${r.name}`);
    phases.push({ name: 'drop indexes', ms: performance.now() - tp });

    const wordsArr = '$1::text[]';
    const captionWords = (extra: string[]) =>
      `concat_ws(' ', ${word(wordsArr, W)}, ${word(wordsArr, W)},
         CASE WHEN random() < 0.8 THEN ${word(wordsArr, W)} END,
         CASE WHEN random() < 0.5 THEN ${word(wordsArr, W)} END,
         CASE WHEN random() < 0.3 THEN ${word(wordsArr, W)} END${extra.map((e) => `, ${e}`).join('')})`;

    // 2. Load. Staging tables (bench_*) map dense integers to uuids and hold each row's plan.
    const tasks: Task[] = [
      {
        name: 'stage users',
        deps: [],
        run: async (c) => {
          await c.query(`CREATE UNLOGGED TABLE bench_u AS
                         SELECT (g - 1)::int AS n, gen_random_uuid() AS id FROM generate_series(1, ${U}) g`);
          await c.query('ANALYZE bench_u');
          return scale.users;
        },
      },
      {
        name: 'stage follows plan',
        deps: [],
        run: async (c) => {
          // Followers per user: log-normal (σ 2.2), normalised to the target, the biggest
          // counts to the lowest user numbers (the creators with most videos). The first
          // follower of every user comes from a pool of heavy followers.
          await c.query(
            `CREATE UNLOGGED TABLE bench_f AS
             WITH raw AS (SELECT exp(2.2 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS r
                          FROM generate_series(1, ${U})),
                  ranked AS (SELECT (row_number() OVER (ORDER BY r DESC) - 1)::int AS n, r FROM raw)
             SELECT n, least(${U} - 1, floor(r * ${int(scale.follows)} / sum(r) OVER () + random()))::int AS fc,
                    floor(random() * ${heavyPool})::bigint AS off,
                    ($1::int[])[1 + floor(random() * ${strides.length})::int]::bigint AS stride
             FROM ranked`,
            [strides],
          );
          await c.query('ANALYZE bench_f');
          return undefined;
        },
      },
      {
        name: 'stage videos plan',
        deps: [],
        run: async (c) => {
          await c.query(
            `CREATE UNLOGGED TABLE bench_v AS
             WITH raw AS (
               SELECT (g - 1)::int AS n, gen_random_uuid() AS id,
                      floor(power(random(), 3) * ${U})::int AS owner_n,
                      now() - random() * interval '365 days' AS created_at,
                      random() AS rs, random() < 0.08 AS private, random() < 0.01 AS deleted,
                      exp(1.8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS rl,
                      exp(2.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) AS rc,
                      CASE WHEN random() < 0.8 THEN floor(power(random(), 4) * ${T})::int END AS t1,
                      CASE WHEN random() < 0.4 THEN floor(power(random(), 4) * ${T})::int END AS t2,
                      CASE WHEN random() < 0.15 THEN floor(power(random(), 4) * ${T})::int END AS t3,
                      CASE WHEN g > 1 AND random() < 0.02 THEN floor(random() * (g - 1))::int END AS src_n,
                      floor(random() * ${U})::bigint AS like_off,
                      ($1::int[])[1 + floor(random() * ${strides.length})::int]::bigint AS like_stride
               FROM generate_series(1, ${V}) g),
             s AS (
               SELECT *, CASE WHEN rs < 0.97 THEN 'ready' WHEN rs < 0.98 THEN 'processing'
                              WHEN rs < 0.99 THEN 'uploading' ELSE 'failed' END AS status
               FROM raw),
             vis AS (SELECT *, (status = 'ready' AND NOT private AND NOT deleted) AS visible FROM s)
             SELECT n, id, owner_n, created_at, status, private, deleted, visible, t1, t2, t3, src_n,
                    like_off, like_stride,
                    CASE WHEN visible THEN least(${U}, floor(rl * ${int(scale.likes)}
                         / sum(rl) FILTER (WHERE visible) OVER () + random()))::int ELSE 0 END AS lc,
                    CASE WHEN visible THEN floor(rc * ${int(scale.comments)}
                         / sum(rc) FILTER (WHERE visible) OVER () + random())::int ELSE 0 END AS cc
             FROM vis`,
            [strides],
          );
          await c.query('ANALYZE bench_v');
          return undefined;
        },
      },
      {
        name: 'hashtags',
        deps: [],
        run: async (c) => {
          await c.query(
            `CREATE UNLOGGED TABLE bench_h AS
             SELECT (o - 1)::int AS n, gen_random_uuid() AS id, tag FROM unnest($1::text[]) WITH ORDINALITY x(tag, o)`,
            [tags],
          );
          const r = await c.query(`INSERT INTO hashtags (id, tag, created_at)
                                   SELECT id, tag, now() - interval '400 days' FROM bench_h`);
          await c.query('ANALYZE bench_h');
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'videos',
        deps: ['stage users', 'stage videos plan', 'hashtags'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO videos (id, owner_id, status, failure_reason, visibility, caption, origin, source_key,
                                 media_rev, playback_key, poster_key, preview_key, original_key,
                                 content_type, declared_size_bytes, size_bytes, duration_ms,
                                 width, height, like_count, comment_count, glitch_count,
                                 created_at, updated_at, deleted_at)
             SELECT v.id, u.id, v.status,
                    CASE WHEN v.status = 'failed' THEN 'The file is not a video we can read' END,
                    CASE WHEN v.private THEN 'private' ELSE 'public' END,
                    ${captionWords([
                      `CASE WHEN random() < 0.05 THEN substr(md5(v.n::text), 1, 6) END`,
                      `'#' || ($2::text[])[1 + v.t1]`,
                      `'#' || ($2::text[])[1 + v.t2]`,
                      `'#' || ($2::text[])[1 + v.t3]`,
                    ])},
                    CASE WHEN v.src_n IS NULL THEN 'upload' ELSE 'glitch' END,
                    'uploads/' || u.id || '/' || v.id || '.mp4',
                    -- Ready videos as process-upload leaves them (shared/storage/keys.ts): revision 1,
                    -- public media under media/ (CDN URLs), private ones under private/ (signed).
                    CASE WHEN v.status = 'ready' THEN 1 ELSE 0 END,
                    CASE WHEN v.status = 'ready' THEN (CASE WHEN v.private THEN 'private/' ELSE 'media/' END) || v.id || '/1/play.mp4' END,
                    CASE WHEN v.status = 'ready' THEN (CASE WHEN v.private THEN 'private/' ELSE 'media/' END) || v.id || '/1/poster.jpg' END,
                    CASE WHEN v.status = 'ready' THEN (CASE WHEN v.private THEN 'private/' ELSE 'media/' END) || v.id || '/1/preview.mp4' END,
                    CASE WHEN v.status = 'ready' THEN 'originals/' || v.id || '/1.mp4' END,
                    'video/mp4', 1000000 + (v.n::bigint * 7919) % 50000000,
                    CASE WHEN v.status = 'ready' THEN 1000000 + (v.n::bigint * 7919) % 50000000 END,
                    CASE WHEN v.status = 'ready' THEN 5000 + ((v.n::bigint * 104729) % 55000)::int END,
                    CASE WHEN v.status = 'ready' THEN 720 END, CASE WHEN v.status = 'ready' THEN 1280 END,
                    v.lc, v.cc, coalesce(g.c, 0),
                    v.created_at, v.created_at,
                    CASE WHEN v.deleted THEN v.created_at + interval '1 hour' END
             FROM bench_v v JOIN bench_u u ON u.n = v.owner_n
             LEFT JOIN (SELECT src_n, count(*)::int AS c FROM bench_v WHERE src_n IS NOT NULL AND NOT deleted
                        GROUP BY 1) g ON g.src_n = v.n`,
            [CAPTION_WORDS, tags],
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'video_glitches',
        deps: ['stage videos plan'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO video_glitches (glitch_video_id, source_video_id, root_video_id, kind, depth, created_at)
             SELECT g.id, s.id, s.id, CASE WHEN g.n % 2 = 0 THEN 'animate' ELSE 'replace' END, 1, g.created_at
             FROM bench_v g JOIN bench_v s ON s.n = g.src_n`,
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'video_hashtags',
        deps: ['stage videos plan', 'hashtags'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO video_hashtags (video_id, hashtag_id, video_created_at)
             SELECT v.id, h.id, v.created_at
             FROM bench_v v
             CROSS JOIN LATERAL (SELECT DISTINCT x FROM unnest(ARRAY[v.t1, v.t2, v.t3]) x WHERE x IS NOT NULL) t
             JOIN bench_h h ON h.n = t.x`,
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'likes',
        deps: ['stage users', 'stage videos plan'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO likes (user_id, video_id, created_at)
             SELECT u.id, v.id, v.created_at + random() * (now() - v.created_at)
             FROM bench_v v
             CROSS JOIN LATERAL generate_series(0, v.lc - 1) k
             JOIN bench_u u ON u.n = (v.like_off + k * v.like_stride) % ${U}
             WHERE v.lc > 0`,
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'stage comments plan',
        deps: ['stage videos plan'],
        run: async (c) => {
          // Per video: cc comments, of which floor(cc / 5) are replies to a random top-level one.
          await c.query(
            `CREATE UNLOGGED TABLE bench_c AS
             SELECT v.n AS vn, k, gen_random_uuid() AS id, v.id AS video_id,
                    floor(power(random(), 2) * ${U})::int AS author_n,
                    v.created_at + random() * (now() - v.created_at) AS created_at
             FROM bench_v v CROSS JOIN LATERAL generate_series(0, v.cc - floor(v.cc * 0.2)::int - 1) k
             WHERE v.cc > 0`,
          );
          await c.query(
            `CREATE UNLOGGED TABLE bench_r AS
             SELECT v.n AS vn, floor(random() * (v.cc - floor(v.cc * 0.2)))::int AS pk,
                    floor(power(random(), 2) * ${U})::int AS author_n
             FROM bench_v v CROSS JOIN LATERAL generate_series(1, floor(v.cc * 0.2)::int) j
             WHERE v.cc >= 5`,
          );
          await c.query('ANALYZE bench_c; ANALYZE bench_r');
          return undefined;
        },
      },
      {
        name: 'comments (top level)',
        deps: ['stage comments plan', 'stage users'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO comments (id, video_id, author_id, parent_id, body, reply_count, created_at, updated_at)
             SELECT c.id, c.video_id, u.id, NULL, ${captionWords(["CASE WHEN random() < 0.3 THEN '🔥' END"])},
                    coalesce(rc.n, 0), c.created_at, c.created_at
             FROM bench_c c JOIN bench_u u ON u.n = c.author_n
             LEFT JOIN (SELECT vn, pk, count(*)::int AS n FROM bench_r GROUP BY 1, 2) rc
               ON rc.vn = c.vn AND rc.pk = c.k`,
            [CAPTION_WORDS],
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'comments (replies)',
        deps: ['stage comments plan', 'stage users'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO comments (video_id, author_id, parent_id, body, created_at, updated_at)
             SELECT p.video_id, u.id, p.id, ${captionWords([])}, t.ts, t.ts
             FROM bench_r r JOIN bench_c p ON p.vn = r.vn AND p.k = r.pk JOIN bench_u u ON u.n = r.author_n
             CROSS JOIN LATERAL (SELECT p.created_at + random() * (now() - p.created_at) AS ts) t`,
            [CAPTION_WORDS],
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'follows',
        deps: ['stage users', 'stage follows plan'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO follows (follower_id, followee_id, created_at)
             SELECT fu.id, tu.id, now() - random() * interval '300 days'
             FROM bench_f f
             CROSS JOIN LATERAL generate_series(0, f.fc - 1) k
             JOIN bench_u fu ON fu.n = (f.off + k * f.stride) % ${U}
             JOIN bench_u tu ON tu.n = f.n
             WHERE (f.off + k * f.stride) % ${U} <> f.n`,
          );
          return r.rowCount ?? 0;
        },
      },
      {
        name: 'users',
        deps: ['stage users', 'stage videos plan', 'follows'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO users (id, email, username, password_hash, display_name, follower_count, following_count,
                                video_count, credits, created_at)
             SELECT u.id, 'user' || u.n || '@bench.lokiz.test',
                    ($1::text[])[1 + u.n % ${ADJECTIVES.length}] || '_'
                      || ($2::text[])[1 + (u.n / ${ADJECTIVES.length}) % ${NOUNS.length}] || '_' || u.n,
                    -- never used to log in (tokens are minted directly)
                    '$2a$10$benchbenchbenchbenchbe.ZJ3ZlkVWmnV0rVq6yC1nq1oJYbS9r2',
                    CASE WHEN u.n % 7 = 3
                         THEN ($3::text[])[1 + u.n % ${KOREAN_SURNAMES.length}]
                              || ($4::text[])[1 + (u.n / ${KOREAN_SURNAMES.length}) % ${KOREAN_GIVEN_NAMES.length}]
                         ELSE initcap(($1::text[])[1 + (u.n / 7) % ${ADJECTIVES.length}]) || ' '
                              || initcap(($2::text[])[1 + (u.n / 3) % ${NOUNS.length}]) END,
                    coalesce(fr.c, 0), coalesce(fg.c, 0), coalesce(vc.c, 0),
                    -- the sign-up bonus (credit_ledger below); since issue 14 the column defaults to 0
                    100,
                    now() - (400 + random() * 400) * interval '1 day'
             FROM bench_u u
             LEFT JOIN (SELECT followee_id AS id, count(*)::int AS c FROM follows GROUP BY 1) fr ON fr.id = u.id
             LEFT JOIN (SELECT follower_id AS id, count(*)::int AS c FROM follows GROUP BY 1) fg ON fg.id = u.id
             LEFT JOIN (SELECT owner_n AS n, count(*)::int AS c FROM bench_v
                        WHERE status = 'ready' AND NOT deleted GROUP BY 1) vc ON vc.n = u.n`,
            [ADJECTIVES, NOUNS, KOREAN_SURNAMES, KOREAN_GIVEN_NAMES],
          );
          return r.rowCount ?? 0;
        },
      },
      // Every viewer of the plans has blocks both ways: the feed and search run block-filtered.
      { name: 'blocks', deps: ['users'], run: (c) => seedBlocks(c, VARIANTS) },
      {
        name: 'credit_ledger',
        deps: ['users'],
        run: async (c) => {
          const r = await c.query(
            `INSERT INTO credit_ledger (user_id, amount, reason, idempotency_key, balance_after, created_at)
             SELECT id, credits, 'signup_bonus', 'signup:' || id, credits, created_at FROM users`,
          );
          return r.rowCount ?? 0;
        },
      },
    ];
    log(`seeding ${scale.name}: ${scale.users} users, ${scale.videos} videos…`);
    await runTasks(clients, tasks, phases, log);

    // 3. Rebuild, biggest first, two at a time; then VACUUM ANALYZE every table.
    const { rows: sizes } = await a.query<{ relname: string; bytes: string }>(
      `SELECT relname, pg_total_relation_size(oid)::text AS bytes FROM pg_class WHERE relname = ANY($1)`,
      [LOADED_TABLES],
    );
    const tableBytes = new Map(sizes.map((s) => [s.relname, Number(s.bytes)]));
    const isGin = (def: string) => /USING gin/i.test(def);
    const rebuilds = [
      ...constraints.map((k) => ({
        name: `${k.tbl}.${k.name}`,
        tbl: k.tbl,
        sql: `ALTER TABLE ${k.tbl} ADD CONSTRAINT ${k.name} ${k.def}`,
        gin: false,
      })),
      ...indexes.map((i) => ({ name: `${i.tbl}.${i.name}`, tbl: i.tbl, sql: i.def, gin: isGin(i.def) })),
    ].sort(
      (x, y) =>
        Number(y.gin) * 4 * (tableBytes.get(y.tbl) ?? 0) +
        (tableBytes.get(y.tbl) ?? 0) -
        (Number(x.gin) * 4 * (tableBytes.get(x.tbl) ?? 0) + (tableBytes.get(x.tbl) ?? 0)),
    );
    const indexTasks: Task[] = rebuilds.map((r) => ({
      name: `index ${r.name}`,
      deps: [],
      run: async (c) => {
        await c.query(r.sql);
        return undefined;
      },
    }));
    for (const c of clients) await c.query('SET max_parallel_maintenance_workers = 0');
    const ti = performance.now();
    await runTasks(clients, indexTasks, phases, log);
    phases.push({ name: 'indexes (all, wall clock)', ms: performance.now() - ti });

    const tv = performance.now();
    await runTasks(
      clients,
      [
        {
          name: 'drop staging tables',
          deps: [],
          run: async (c) => {
            await c.query('DROP TABLE bench_u, bench_v, bench_f, bench_h, bench_c, bench_r');
            return undefined;
          },
        },
        ...[...LOADED_TABLES]
          .sort((x, y) => (tableBytes.get(y) ?? 0) - (tableBytes.get(x) ?? 0))
          .map((t) => ({
            name: `vacuum analyze ${t}`,
            deps: [],
            run: async (c: pg.Client) => {
              await c.query(`VACUUM (ANALYZE) ${t}`);
              return undefined;
            },
          })),
      ],
      phases,
      log,
    );
    phases.push({ name: 'vacuum analyze (all, wall clock)', ms: performance.now() - tv });

    const counts: Record<string, number> = {};
    for (const t of LOADED_TABLES) {
      const { rows } = await a.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t}`);
      counts[t] = Number(rows[0]!.n);
    }
    const invariants = await checkInvariants(a);
    return { scale, phases, totalMs: performance.now() - t0, counts, invariants };
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
  }
}

/** Totals that must agree (per-row agreement holds by construction; these catch a broken seeder). */
async function checkInvariants(c: pg.Client) {
  const checks: [string, string][] = [
    ['likes = sum(like_count)', `SELECT (SELECT count(*) FROM likes), (SELECT sum(like_count) FROM videos)`],
    [
      'live comments = sum(comment_count)',
      `SELECT (SELECT count(*) FROM comments WHERE deleted_at IS NULL), (SELECT sum(comment_count) FROM videos)`,
    ],
    [
      'replies = sum(reply_count)',
      `SELECT (SELECT count(*) FROM comments WHERE parent_id IS NOT NULL),
              (SELECT sum(reply_count) FROM comments)`,
    ],
    [
      'follows = sum(follower_count)',
      `SELECT (SELECT count(*) FROM follows), (SELECT sum(follower_count) FROM users)`,
    ],
    [
      'follows = sum(following_count)',
      `SELECT (SELECT count(*) FROM follows), (SELECT sum(following_count) FROM users)`,
    ],
    [
      'ready live videos = sum(video_count)',
      `SELECT (SELECT count(*) FROM videos WHERE status = 'ready' AND deleted_at IS NULL),
              (SELECT sum(video_count) FROM users)`,
    ],
    [
      'live glitches = sum(glitch_count)',
      `SELECT (SELECT count(*) FROM video_glitches g JOIN videos v ON v.id = g.glitch_video_id
               WHERE v.deleted_at IS NULL), (SELECT sum(glitch_count) FROM videos)`,
    ],
    [
      'credits = sum(ledger)',
      `SELECT (SELECT sum(credits) FROM users), (SELECT sum(amount) FROM credit_ledger)`,
    ],
    [
      'replies under a top-level comment of the same video',
      `SELECT 0, count(*) FROM comments r JOIN comments p ON p.id = r.parent_id
       WHERE p.parent_id IS NOT NULL OR p.video_id <> r.video_id`,
    ],
  ];
  const out: { name: string; ok: boolean; detail: string }[] = [];
  for (const [name, sql] of checks) {
    const { rows } = await c.query({ text: sql, rowMode: 'array' });
    const [x, y] = (rows[0] as unknown[]).map((v) => Number(v ?? 0));
    out.push({ name, ok: x === y, detail: `${x} vs ${y}` });
  }
  return out;
}
