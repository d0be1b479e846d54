import type pg from 'pg';
import { issueAccessToken } from '../../shared/auth/tokens.ts';
import { encodeCursor } from '../../shared/pagination/keyset.ts';
import type { EndpointPlan, RequestSpec } from './protocol.ts';

/** Caption search terms of different frequencies (see vocab.ts: earlier words are commoner). */
export const SEARCH_TERMS = ['dance', 'sunset', 'tokyo', 'neon', 'garden', 'alien', 'pottery', 'knitting'];
/**
 * Rare terms, timed one by one only (not in the load rotation): a tag with a suffix (~0.1 % of
 * captions), three hex digits of the random tokens some captions carry, and a typo that
 * matches nothing.
 */
export const SEARCH_TERMS_RARE = ['pottery_2', 'c4e', 'xyz'];
/** Two-character Hangul terms: the character-pair (bigram) index path. */
export const SEARCH_TERMS_2CHAR = ['여행', '먹방', '카페', '서울', '노래', '바다'];
/** People search: username parts, a display-name part and a 2-character Hangul given name. */
export const USER_SEARCH_TERMS = ['otter', 'neon', 'trickster', 'panda', 'wizard', '민준'];

/** How many distinct requests each read endpoint rotates through. */
export const VARIANTS = 64;

export interface PlanContext {
  /** like/unlike pairs, so the orchestrator can reset them between runs. */
  likePairs: { userId: string; videoId: string }[];
  /** Median number of feed rows newer than a deep cursor (a sample of 8). */
  deepCursorMedianRows: number;
}

function get(url: string, routeKey: string, domain: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url, routeKey, domain, ...extra };
}

const pick = <T>(xs: T[], i: number): T => xs[i % xs.length]!;

/**
 * The endpoints under load and the requests each rotates through, drawn from the seeded data:
 * signed-in viewers (random users), hot videos, the most commented videos, heavy followers,
 * hot tags, and like/unlike pairs of users who have not liked the video yet.
 */
export async function buildPlans(
  c: pg.Client,
  concurrency: number,
): Promise<{ plans: EndpointPlan[]; context: PlanContext }> {
  const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await c.query<T>(text, values)).rows;
  const visible = `status = 'ready' AND visibility = 'public' AND deleted_at IS NULL`;

  const viewerIds = (
    await q<{ id: string }>(`SELECT id FROM users ORDER BY md5(id::text) LIMIT ${VARIANTS}`)
  ).map((r) => r.id);
  const tokens = new Map<string, string>();
  const tokenOf = async (id: string) => {
    let t = tokens.get(id);
    if (!t) {
      // Access tokens only work while their session (a refresh-token family) lives.
      const [session] = await q<{ family_id: string }>(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
         VALUES ($1::uuid, gen_random_uuid(), md5(random()::text) || $1::text, now() + interval '1 day') RETURNING family_id`,
        [id],
      );
      t = (await issueAccessToken(id, session!.family_id)).token;
      tokens.set(id, t);
    }
    return t;
  };
  for (const id of viewerIds) await tokenOf(id);
  const viewerToken = (i: number) => tokens.get(pick(viewerIds, i))!;
  // Blocks hide a video both ways (404): a request about one video is sent by the next viewer
  // who has no block with its owner, or a seeded block pair would count as a failed request.
  const blockPairs = new Set(
    (await q<{ a: string; b: string }>(`SELECT blocker_id AS a, blocked_id AS b FROM blocks`)).flatMap(
      (r) => [`${r.a} ${r.b}`, `${r.b} ${r.a}`],
    ),
  );
  const ownerOf = new Map<string, string>();
  const rememberOwner = (v: { id: string; owner_id: string }) => {
    ownerOf.set(v.id, v.owner_id);
    return v.id;
  };
  const tokenFor = (videoId: string, i: number) => {
    const owner = ownerOf.get(videoId)!;
    for (let k = 0; k < viewerIds.length; k++) {
      const viewer = pick(viewerIds, i + k);
      if (!blockPairs.has(`${viewer} ${owner}`)) return tokens.get(viewer)!;
    }
    throw new Error(`every sampled viewer blocks or is blocked by ${owner}`);
  };

  // Hot videos: a random sample of the 2 000 most liked.
  const hot = (
    await q<{ id: string; owner_id: string }>(
      `SELECT id, owner_id FROM (SELECT id, owner_id FROM videos WHERE ${visible} ORDER BY like_count DESC LIMIT 2000) t
       ORDER BY md5(id::text) LIMIT ${VARIANTS}`,
    )
  ).map(rememberOwner);
  // Deep cursors: random visible videos older than 90 days (the feed holds a year).
  const deep = await q<{ t: string; id: string }>(
    `SELECT (extract(epoch FROM created_at) * 1000000)::bigint::text AS t, id::text AS id
     FROM videos WHERE ${visible} AND created_at < now() - interval '90 days'
     ORDER BY md5(id::text) LIMIT ${VARIANTS}`,
  );
  const depth = await q<{ median: string }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n)::bigint::text AS median FROM (
       SELECT (SELECT count(*) FROM videos v WHERE ${visible.replace(/(status|visibility|deleted_at)/g, 'v.$1')}
                 AND v.created_at > to_timestamp(d.t::bigint / 1e6)) AS n
       FROM unnest($1::text[]) AS d(t) LIMIT 8) s`,
    [deep.map((d) => d.t)],
  );
  const heavyFollowers = (
    await q<{ id: string }>(`SELECT id FROM users ORDER BY following_count DESC, id LIMIT ${concurrency}`)
  ).map((r) => r.id);
  for (const id of heavyFollowers) await tokenOf(id);
  const mostCommented = (
    await q<{ id: string; owner_id: string }>(
      `SELECT id, owner_id FROM videos WHERE ${visible} ORDER BY comment_count DESC, id LIMIT 16`,
    )
  ).map(rememberOwner);
  const hotTags = (
    await q<{ tag: string }>(
      `SELECT h.tag FROM hashtags h JOIN video_hashtags vh ON vh.hashtag_id = h.id
       GROUP BY h.tag ORDER BY count(*) DESC, h.tag LIMIT 8`,
    )
  ).map((r) => r.tag);

  // Like/unlike: one pair per connection, each on its own hot video, by a user who has not
  // liked it (so the first request really inserts). At the 10k scale (1,000 users) the hottest
  // videos can be liked by everyone: those are skipped for the next ones.
  const likePairs: PlanContext['likePairs'] = [];
  const likeVideos = await q<{ id: string; owner_id: string }>(
    `SELECT id, owner_id FROM videos WHERE ${visible} ORDER BY like_count DESC, id LIMIT ${concurrency * 4}`,
  );
  for (const [i, v] of likeVideos.entries()) {
    if (likePairs.length === concurrency) break;
    const [u] = await q<{ id: string }>(
      `SELECT u.id FROM users u
       WHERE u.id <> $2 AND NOT EXISTS (SELECT 1 FROM likes l WHERE l.user_id = u.id AND l.video_id = $1)
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id, b.blocked_id) IN ((u.id, $2), ($2, u.id)))
       ORDER BY md5(u.id::text || $3) LIMIT 1`,
      [v.id, v.owner_id, String(i)],
    );
    if (!u) continue;
    likePairs.push({ userId: u.id, videoId: v.id });
    await tokenOf(u.id);
  }
  if (likePairs.length < concurrency) {
    throw new Error(
      `only ${likePairs.length} of ${concurrency} hot videos have a user who has not liked them`,
    );
  }

  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const plans: EndpointPlan[] = [
    {
      name: 'feed, first page',
      kind: 'read',
      requests: range(VARIANTS).map((i) =>
        get('/v1/videos', 'GET /v1/videos', 'videos', { token: viewerToken(i) }),
      ),
    },
    {
      name: 'feed, deep cursor',
      kind: 'read',
      requests: deep.map((d, i) =>
        get(`/v1/videos?cursor=${encodeCursor({ t: d.t, id: d.id })}`, 'GET /v1/videos', 'videos', {
          token: viewerToken(i),
        }),
      ),
    },
    {
      name: 'video by id',
      kind: 'read',
      requests: hot.map((id, i) =>
        get(`/v1/videos/${id}`, 'GET /v1/videos/{id}', 'videos', {
          pathParameters: { id },
          token: tokenFor(id, i),
        }),
      ),
    },
    {
      name: 'following feed',
      kind: 'read',
      requests: heavyFollowers.map((id) =>
        get('/v1/videos?feed=following', 'GET /v1/videos', 'videos', { token: tokens.get(id)! }),
      ),
    },
    {
      name: 'comments list',
      kind: 'read',
      requests: range(VARIANTS).map((i) => {
        const id = pick(mostCommented, i);
        return get(`/v1/comments/videos/${id}`, 'GET /v1/comments/videos/{id}', 'comments', {
          pathParameters: { id },
          token: tokenFor(id, i),
        });
      }),
    },
    {
      name: 'search videos (3+ chars)',
      kind: 'read',
      requests: range(VARIANTS).map((i) =>
        get(
          `/v1/search/videos?q=${encodeURIComponent(pick(SEARCH_TERMS, i))}`,
          'GET /v1/search/videos',
          'search',
          { token: viewerToken(i) },
        ),
      ),
    },
    {
      name: 'search videos (2 chars)',
      kind: 'read',
      requests: range(VARIANTS).map((i) =>
        get(
          `/v1/search/videos?q=${encodeURIComponent(pick(SEARCH_TERMS_2CHAR, i))}`,
          'GET /v1/search/videos',
          'search',
          { token: viewerToken(i) },
        ),
      ),
    },
    {
      name: 'search users',
      kind: 'read',
      requests: range(VARIANTS).map((i) =>
        get(
          `/v1/search/users?q=${encodeURIComponent(pick(USER_SEARCH_TERMS, i))}`,
          'GET /v1/search/users',
          'search',
          { token: viewerToken(i) },
        ),
      ),
    },
    {
      name: 'hashtag videos',
      kind: 'read',
      requests: range(VARIANTS).map((i) => {
        const tag = pick(hotTags, i);
        return get(
          `/v1/hashtags/${encodeURIComponent(tag)}/videos`,
          'GET /v1/hashtags/{tag}/videos',
          'hashtags',
          { pathParameters: { tag }, token: viewerToken(i) },
        );
      }),
    },
    {
      name: 'like / unlike',
      kind: 'toggle',
      requests: likePairs.flatMap((p) => {
        const token = tokens.get(p.userId)!;
        const url = `/v1/likes/videos/${p.videoId}`;
        const common = { url, domain: 'likes', pathParameters: { id: p.videoId }, token };
        return [
          { ...common, method: 'POST' as const, routeKey: 'POST /v1/likes/videos/{id}' },
          { ...common, method: 'DELETE' as const, routeKey: 'DELETE /v1/likes/videos/{id}' },
        ];
      }),
    },
  ];
  return { plans, context: { likePairs, deepCursorMedianRows: Number(depth[0]?.median ?? 0) } };
}

/** Undoes whatever likes the toggle runs left behind (counters and notifications included). */
export async function resetLikePairs(c: pg.Client, pairs: PlanContext['likePairs']): Promise<void> {
  const users = pairs.map((p) => p.userId);
  const videos = pairs.map((p) => p.videoId);
  await c.query(
    `WITH d AS (DELETE FROM likes WHERE (user_id, video_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
                RETURNING video_id)
     UPDATE videos v SET like_count = v.like_count - x.n
     FROM (SELECT video_id, count(*)::int AS n FROM d GROUP BY 1) x WHERE v.id = x.video_id`,
    [users, videos],
  );
  await c.query(
    `DELETE FROM notifications WHERE type = 'like'
       AND (actor_id, video_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
    [users, videos],
  );
}
