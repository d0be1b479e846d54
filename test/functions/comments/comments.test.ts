import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { hideVideo, postComments } from '../../harness/consistent-writes.ts';
import { useApi } from '../../harness/http.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, MISSING_ID, notificationsOf, videoCounts } from '../../social/fixtures.ts';

const api = useApi();

async function comment(token: string, videoId: string, body: string, parentId?: string) {
  const res = await api.request('POST', `/v1/comments/videos/${videoId}`, {
    token,
    body: { body, ...(parentId ? { parent_id: parentId } : {}) },
  });
  if (res.status !== 201) throw new Error(`comment failed: ${res.status} ${res.text}`);
  return res.body as { id: string; [k: string]: unknown };
}

describe('POST /v1/comments/videos/{id}', () => {
  it('adds a trimmed comment with its author and counts it on the video', async () => {
    const owner = await createUser();
    const fan = await createUser({ displayName: '트릭스터 팬' });
    const [video] = await seedReadyVideos(owner.id, 1);
    const res = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: fan.accessToken,
      body: { body: '  첫 댓글! nice glitch  ' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      video_id: video,
      parent_id: null,
      body: '첫 댓글! nice glitch',
      reply_count: 0,
      edited: false,
      author: { id: fan.id, username: fan.username, display_name: '트릭스터 팬', avatar_url: null },
    });
    expect(res.body.author).not.toHaveProperty('email');
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 1, comment_rows: 1 });
  });

  it.each([
    ['empty', { body: '' }],
    ['whitespace only', { body: ' \n\t\u3000 ' }],
    ['invisible only', { body: '\u200b\u200b' }],
    ['too long', { body: 'x'.repeat(501) }],
    ['a NUL byte', { body: 'hi\u0000there' }],
    ['not a string', { body: 42 }],
    ['missing body', {}],
    ['an unknown field', { body: 'hi', author_id: MISSING_ID }],
    ['a malformed parent', { body: 'hi', parent_id: 'nope' }],
  ])('rejects %s with 400', async (_label, body) => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const res = await api.request('POST', `/v1/comments/videos/${video}`, { token: owner.accessToken, body });
    expect(res.status).toBe(400);
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 0, comment_rows: 0 });
  });

  it('counts length in characters: 500 emoji fit, as the database counts them', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const res = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: owner.accessToken,
      body: { body: '🎬'.repeat(500) },
    });
    expect(res.status).toBe(201);
  });

  it('is 401 logged out and 404 for missing, private, deleted videos (also for listing)', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [publicVideo] = await seedReadyVideos(owner.id, 1);
    const [privateVideo] = await seedReadyVideos(owner.id, 1, { visibility: 'private' });
    const [deletedVideo] = await seedReadyVideos(owner.id, 1);
    await comment(owner.accessToken, privateVideo!, 'note to self');
    await hideVideo(deletedVideo!, 'deleted');
    const create = (id: string, token?: string) =>
      api.request('POST', `/v1/comments/videos/${id}`, { token, body: { body: 'hello' } });
    expect((await create(publicVideo!)).status).toBe(401);
    for (const id of [MISSING_ID, privateVideo!, deletedVideo!]) {
      expect((await create(id, fan.accessToken)).status).toBe(404);
      expect((await api.request('GET', `/v1/comments/videos/${id}`)).status).toBe(404);
      expect((await api.request('GET', `/v1/comments/videos/${id}`, { token: fan.accessToken })).status).toBe(
        404,
      );
    }
    // The owner still reads the comments of their own private video.
    const own = await api.request('GET', `/v1/comments/videos/${privateVideo}`, { token: owner.accessToken });
    expect(own.body.items).toHaveLength(1);
    expect((await api.request('GET', '/v1/comments/videos/not-a-uuid')).status).toBe(400);
  });
});

describe('GET /v1/comments/videos/{id}', () => {
  it('pages top-level comments newest first for anyone, with a keyset cursor', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await comment(owner.accessToken, video!, `c${i}`)).id);
    await comment(owner.accessToken, video!, 'a reply', ids[0]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; next_cursor: string | null } } =
        await api.request('GET', `/v1/comments/videos/${video}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const first = await api.request('GET', `/v1/comments/videos/${video}`);
    expect(first.body.items.at(-1)).toMatchObject({ id: ids[0], reply_count: 1 });
  });

  it('rejects an invalid cursor and clamps an oversized limit', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const bad = await api.request('GET', `/v1/comments/videos/${video}?cursor=garbage`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    await postComments(
      video!,
      owner.id,
      Array.from({ length: 55 }, (_, i) => `b${i}`),
    );
    const big = await api.request('GET', `/v1/comments/videos/${video}?limit=1000`);
    expect(big.status).toBe(200);
    expect(big.body.items).toHaveLength(50);
    expect(big.body.next_cursor).toEqual(expect.any(String));
    expect((await api.request('GET', `/v1/comments/videos/${video}?limit=0`)).status).toBe(400);
  });
});

describe('replies', () => {
  it('answers a top-level comment, lists replies oldest first, and notifies owner and parent author', async () => {
    const owner = await createUser();
    const asker = await createUser();
    const answerer = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const question = await comment(asker.accessToken, video!, 'how?');
    const r1 = await comment(answerer.accessToken, video!, 'like this', question.id);
    const r2 = await comment(owner.accessToken, video!, 'magic', question.id);
    expect(r1).toMatchObject({ parent_id: question.id });

    const replies = await api.request('GET', `/v1/comments/${question.id}/replies`);
    expect(replies.status).toBe(200);
    expect(replies.body.items.map((c: { id: string }) => c.id)).toEqual([r1.id, r2.id]);
    const page1 = await api.request('GET', `/v1/comments/${question.id}/replies?limit=1`);
    const page2 = await api.request(
      'GET',
      `/v1/comments/${question.id}/replies?limit=1&cursor=${page1.body.next_cursor}`,
    );
    expect(page2.body.items.map((c: { id: string }) => c.id)).toEqual([r2.id]);
    expect(page2.body.next_cursor).toBeNull();

    expect(await videoCounts(video!)).toMatchObject({ comment_count: 3, comment_rows: 3 });
    const top = await api.request('GET', `/v1/comments/videos/${video}`);
    expect(top.body.items).toHaveLength(1);
    expect(top.body.items[0]).toMatchObject({ id: question.id, reply_count: 2 });

    const toOwner = await notificationsOf(owner.id);
    expect(toOwner.map((n) => n.comment_id)).toEqual([question.id, r1.id]);
    const toAsker = await notificationsOf(asker.id);
    expect(toAsker.map((n) => [n.type, n.comment_id])).toEqual([
      ['comment', r1.id],
      ['comment', r2.id],
    ]);
    // Nobody is notified of their own words.
    expect(await notificationsOf(answerer.id)).toHaveLength(0);
  });

  it('refuses replies to replies (400) and parents of other videos or missing ones (404)', async () => {
    const owner = await createUser();
    const [video, otherVideo] = await seedReadyVideos(owner.id, 2);
    const top = await comment(owner.accessToken, video!, 'top');
    const reply = await comment(owner.accessToken, video!, 'reply', top.id);
    const elsewhere = await comment(owner.accessToken, otherVideo!, 'elsewhere');
    const post = (parent_id: string) =>
      api.request('POST', `/v1/comments/videos/${video}`, {
        token: owner.accessToken,
        body: { body: 'x', parent_id },
      });
    const nested = await post(reply.id);
    expect(nested.status).toBe(400);
    expect(nested.body.error.code).toBe('reply_depth_exceeded');
    expect((await post(elsewhere.id)).status).toBe(404);
    expect((await post(MISSING_ID)).status).toBe(404);
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 2, comment_rows: 2 });
    expect((await api.request('GET', `/v1/comments/${MISSING_ID}/replies`)).status).toBe(404);
  });
});

describe('PATCH /v1/comments/{id}', () => {
  it("lets the author edit; someone else's comment is 404, logged out is 401", async () => {
    const owner = await createUser();
    const author = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const c = await comment(author.accessToken, video!, 'typo');
    const edit = (token?: string, body: unknown = { body: ' fixed ' }) =>
      api.request('PATCH', `/v1/comments/${c.id}`, { token, body });

    // Not even the video's owner may put words in someone's mouth.
    expect((await edit(owner.accessToken)).status).toBe(404);
    expect((await edit()).status).toBe(401);
    expect((await edit(author.accessToken, { body: '   ' })).status).toBe(400);
    expect((await edit(author.accessToken, { body: 'x', video_id: MISSING_ID })).status).toBe(400);
    const ok = await edit(author.accessToken);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: c.id, body: 'fixed', edited: true });
    expect(
      (
        await api.request('PATCH', `/v1/comments/${MISSING_ID}`, {
          token: author.accessToken,
          body: { body: 'x' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('DELETE /v1/comments/{id}', () => {
  it("lets the author or the video's owner delete, once; others get 404", async () => {
    const owner = await createUser();
    const author = await createUser();
    const bystander = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const a = await comment(author.accessToken, video!, 'mine');
    const b = await comment(author.accessToken, video!, 'rude');

    expect((await api.request('DELETE', `/v1/comments/${a.id}`)).status).toBe(401);
    expect(
      (await api.request('DELETE', `/v1/comments/${a.id}`, { token: bystander.accessToken })).status,
    ).toBe(404);
    expect((await api.request('DELETE', `/v1/comments/${a.id}`, { token: author.accessToken })).status).toBe(
      204,
    );
    expect((await api.request('DELETE', `/v1/comments/${a.id}`, { token: author.accessToken })).status).toBe(
      404,
    );
    expect((await api.request('DELETE', `/v1/comments/${b.id}`, { token: owner.accessToken })).status).toBe(
      204,
    );
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 0, comment_rows: 0 });
    const list = await api.request('GET', `/v1/comments/videos/${video}`);
    expect(list.body.items).toEqual([]);
    // The comment's notification goes with it.
    const unread = await api.request('GET', '/v1/notifications/unread-count', { token: owner.accessToken });
    expect(unread.body.unread_count).toBe(0);
  });

  it('takes a thread down with its replies; deleting a reply counts once on the parent', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const thread = await comment(fan.accessToken, video!, 'thread');
    const keep = await comment(fan.accessToken, video!, 'other thread');
    const r1 = await comment(owner.accessToken, video!, 'r1', thread.id);
    await comment(fan.accessToken, video!, 'r2', thread.id);
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 4, comment_rows: 4 });

    expect((await api.request('DELETE', `/v1/comments/${r1.id}`, { token: owner.accessToken })).status).toBe(
      204,
    );
    const parent = await getDb()
      .selectFrom('comments')
      .select('reply_count')
      .where('id', '=', thread.id)
      .executeTakeFirstOrThrow();
    expect(parent.reply_count).toBe(1);
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 3, comment_rows: 3 });

    expect(
      (await api.request('DELETE', `/v1/comments/${thread.id}`, { token: fan.accessToken })).status,
    ).toBe(204);
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 1, comment_rows: 1 });
    expect((await api.request('GET', `/v1/comments/${thread.id}/replies`)).status).toBe(404);
    const list = await api.request('GET', `/v1/comments/videos/${video}`);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([keep.id]);
  });
});
