import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { syncVideoHashtags } from '../../../shared/hashtags/repository.ts';
import { adjustUserVideoCount } from '../../../shared/videos/repository.ts';
import { hideVideo } from '../../harness/consistent-writes.ts';
import { registerUser, type TestUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, hangulToken } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const tagPath = (tag: string, query = '') => `/v1/hashtags/${encodeURIComponent(tag)}/videos${query}`;

/** The client path: ask for an upload URL with a caption; then the pipeline's outcome, faked. */
async function createVideo(user: TestUser, caption: string, visibility: 'public' | 'private' = 'public') {
  const res = await api.request('POST', '/v1/videos/upload-url', {
    token: user.accessToken,
    body: { content_type: 'video/mp4', size_bytes: 1000, caption, visibility },
  });
  if (res.status !== 201) throw new Error(`upload-url failed: ${res.status} ${res.text}`);
  const id = res.body.video_id as string;
  await getDb()
    .transaction()
    .execute(async (trx) => {
      await trx
        .updateTable('videos')
        .set({ status: 'ready', thumbnail_key: `thumbnails/${id}.jpg` })
        .where('id', '=', id)
        .execute();
      await adjustUserVideoCount(trx, user.id, 1);
    });
  return id;
}

async function tagsOf(videoId: string) {
  const rows = await getDb()
    .selectFrom('video_hashtags as vh')
    .innerJoin('hashtags as h', 'h.id', 'vh.hashtag_id')
    .select('h.tag')
    .where('vh.video_id', '=', videoId)
    .orderBy('h.tag')
    .execute();
  return rows.map((r) => r.tag);
}

describe('hashtag extraction on create and caption edits', () => {
  it('links the case-folded tags of the caption, and an edit replaces them', async () => {
    const owner = await registerUser(api);
    const tok = uniqueSuffix();
    const id = await createVideo(owner, `#트릭스터 영상 #Glitch_${tok} #glitch_${tok} #keep${tok}`);
    expect(await tagsOf(id)).toEqual([`glitch_${tok}`, `keep${tok}`, '트릭스터']);

    const edit = await api.request('PATCH', `/v1/videos/${id}`, {
      token: owner.accessToken,
      body: { caption: `now #KEEP${tok} and #new${tok}` },
    });
    expect(edit.status).toBe(200);
    expect(await tagsOf(id)).toEqual([`keep${tok}`, `new${tok}`]);
    expect(ids((await api.request('GET', tagPath(`glitch_${tok}`))).body.items)).toEqual([]);
    expect(ids((await api.request('GET', tagPath(`new${tok}`))).body.items)).toEqual([id]);

    // Visibility-only edits leave the links alone; an empty caption removes them all.
    await api.request('PATCH', `/v1/videos/${id}`, {
      token: owner.accessToken,
      body: { visibility: 'private' },
    });
    expect(await tagsOf(id)).toEqual([`keep${tok}`, `new${tok}`]);
    await api.request('PATCH', `/v1/videos/${id}`, { token: owner.accessToken, body: { caption: '' } });
    expect(await tagsOf(id)).toEqual([]);
  });
});

describe('GET /v1/hashtags/{tag}/videos', () => {
  it('lists public ready videos newest first for a Hangul tag, whatever the case or #, logged out or in', async () => {
    const owner = await registerUser(api);
    const tag = `${hangulToken()}Tag`;
    const first = await createVideo(owner, `#${tag} 하나`);
    const second = await createVideo(owner, `둘 #${tag}`);
    await createVideo(owner, `#${tag} private`, 'private');
    const unfinished = await api.request('POST', '/v1/videos/upload-url', {
      token: owner.accessToken,
      body: { content_type: 'video/mp4', size_bytes: 1000, caption: `#${tag} uploading` },
    });
    expect(unfinished.status).toBe(201);
    const deleted = await createVideo(owner, `#${tag} deleted`);
    expect((await api.request('DELETE', `/v1/videos/${deleted}`, { token: owner.accessToken })).status).toBe(
      204,
    );

    for (const spelling of [tag, tag.toUpperCase(), `#${tag.toLowerCase()}`]) {
      const res = await api.request('GET', tagPath(spelling));
      expect(res.status, spelling).toBe(200);
      expect(ids(res.body.items)).toEqual([second, first]);
      expect(res.body.items[0].liked_by_me).toBeNull();
    }
    await api.request('POST', `/v1/likes/videos/${first}`, { token: owner.accessToken });
    const signedIn = await api.request('GET', tagPath(tag), { token: owner.accessToken });
    expect(signedIn.body.items.map((v: { liked_by_me: boolean }) => v.liked_by_me)).toEqual([false, true]);
  });

  it('pages with a keyset cursor; an unknown tag is an empty page; bad tags and cursors are 400', async () => {
    const owner = await createUser();
    const tag = `page${uniqueSuffix()}`;
    const videos = await seedReadyVideos(owner.id, 55, { caption: () => `#${tag}` });
    const rows = await getDb().selectFrom('videos').select('id').where('id', 'in', videos).execute();
    await getDb()
      .transaction()
      .execute(async (trx) => {
        for (const r of rows) await syncVideoHashtags(trx, r.id, `#${tag}`);
      });
    const first = await api.request('GET', tagPath(tag, '?limit=1000'));
    expect(first.body.items).toHaveLength(50);
    const rest = await api.request('GET', tagPath(tag, `?limit=1000&cursor=${first.body.next_cursor}`));
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.next_cursor).toBeNull();
    expect(new Set([...ids(first.body.items), ...ids(rest.body.items)])).toEqual(new Set(videos));

    const unknown = await api.request('GET', tagPath(`never${uniqueSuffix()}`));
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ items: [], next_cursor: null });
    for (const bad of ['has space', '123', 'a-b', 'x'.repeat(101)]) {
      expect((await api.request('GET', tagPath(bad))).status, bad).toBe(400);
    }
    const badCursor = await api.request('GET', tagPath(tag, '?cursor=garbage'));
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('invalid_cursor');
  });
});

describe('GET /v1/hashtags/trending', () => {
  it('ranks tags by public videos in the window (24h default, 7d)', async () => {
    const owner = await createUser();
    const tok = uniqueSuffix();
    const [hot, warm, lastWeek] = [`hot${tok}`, `warm${tok}`, `week${tok}`];
    const link = async (captions: string[], opts: { visibility?: 'private'; daysAgo?: number } = {}) => {
      const created = new Date(Date.now() - (opts.daysAgo ?? 0) * 86_400_000);
      const vids = await seedReadyVideos(owner.id, captions.length, {
        caption: (i) => captions[i]!,
        visibility: opts.visibility,
        createdAt: () => created,
      });
      // syncVideoHashtags copies each video's created_at onto its links.
      await getDb()
        .transaction()
        .execute(async (trx) => {
          for (const [i, v] of vids.entries()) await syncVideoHashtags(trx, v, captions[i]!);
        });
      return vids;
    };
    await link([`#${hot}`, `#${hot} #${warm}`, `#${hot}`, `#${hot}`]);
    await link([`#${warm}`]);
    // Private, deleted and unfinished videos do not make a tag trend.
    await link(
      Array.from({ length: 5 }, () => `#${warm}`),
      { visibility: 'private' },
    );
    const [gone, unfinished] = await link([`#${warm}`, `#${warm}`]);
    await hideVideo(gone!, 'deleted');
    await hideVideo(unfinished!, 'processing');
    await link(
      Array.from({ length: 6 }, () => `#${lastWeek}`),
      { daysAgo: 3 },
    );

    const mine = (items: { tag: string; video_count: number }[]) =>
      items.filter((i) => i.tag.endsWith(tok)).map((i) => [i.tag, i.video_count]);
    const day = await api.request('GET', '/v1/hashtags/trending?limit=50');
    expect(day.status).toBe(200);
    expect(day.body.window).toBe('24h');
    expect(mine(day.body.items)).toEqual([
      [hot, 4],
      [warm, 2],
    ]);
    expect(day.headers.get('cache-control')).toBe('public, max-age=60');
    const week = await api.request('GET', '/v1/hashtags/trending?window=7d&limit=50');
    expect(mine(week.body.items)).toEqual([
      [lastWeek, 6],
      [hot, 4],
      [warm, 2],
    ]);
    const counts = week.body.items.map((i: { video_count: number }) => i.video_count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    expect((await api.request('GET', '/v1/hashtags/trending?window=1y')).status).toBe(400);
    const clamped = await api.request('GET', '/v1/hashtags/trending?limit=9999');
    expect(clamped.status).toBe(200);
    expect(clamped.body.items.length).toBeLessThanOrEqual(50);
  });
});
