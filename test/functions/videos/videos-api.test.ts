import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as videosHandler } from '../../../functions/videos/index.ts';
import { getDb } from '../../../shared/db/client.ts';
import { headObject } from '../../../shared/storage/s3.ts';
import { followAll, likeVideoAs, linkGlitchTo } from '../../harness/consistent-writes.ts';
import { httpApiEvent, lambdaContext } from '../../harness/events.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();

describe('PATCH /v1/videos/{id}', () => {
  it('lets the owner change caption and visibility; private hides it from others', async () => {
    const owner = await registerUser(api);
    const [id] = await seedReadyVideos(owner.id, 1);
    const res = await api.request('PATCH', `/v1/videos/${id}`, {
      token: owner.accessToken,
      body: { caption: 'new words', visibility: 'private' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caption: 'new words', visibility: 'private' });
    expect((await api.request('GET', `/v1/videos/${id}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/videos/${id}`, { token: owner.accessToken })).status).toBe(200);
    const feed = await api.request('GET', `/v1/videos?user_id=${owner.id}`);
    expect(feed.body.items).toHaveLength(0);
  });

  it.each([
    ['status', { status: 'ready' }],
    ['like_count', { like_count: 1000 }],
    ['owner_id', { owner_id: '00000000-0000-0000-0000-000000000000' }],
    ['source_key', { source_key: 'uploads/x.mp4' }],
    ['nothing', {}],
    ['bad visibility', { visibility: 'friends' }],
    ['long caption', { caption: 'x'.repeat(2201) }],
  ])('rejects %s with 400 and changes nothing', async (_label, body) => {
    const owner = await registerUser(api);
    const [id] = await seedReadyVideos(owner.id, 1);
    const before = await getDb()
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    const res = await api.request('PATCH', `/v1/videos/${id}`, { token: owner.accessToken, body });
    expect(res.status).toBe(400);
    const after = await getDb()
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it("answers 404 for someone else's, a missing, or a malformed id — and 401 logged out", async () => {
    const owner = await registerUser(api);
    const other = await registerUser(api);
    const [id] = await seedReadyVideos(owner.id, 1);
    const res = await api.request('PATCH', `/v1/videos/${id}`, {
      token: other.accessToken,
      body: { caption: 'mine' },
    });
    expect(res.status).toBe(404);
    const del = await api.request('DELETE', `/v1/videos/${id}`, { token: other.accessToken });
    expect(del.status).toBe(404);
    const missing = await api.request('PATCH', '/v1/videos/6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11', {
      token: owner.accessToken,
      body: { caption: 'x' },
    });
    expect(missing.status).toBe(404);
    expect((await api.request('GET', '/v1/videos/not-a-uuid')).status).toBe(400);
    expect((await api.request('PATCH', `/v1/videos/${id}`, { body: { caption: 'x' } })).status).toBe(401);
    const row = await getDb()
      .selectFrom('videos')
      .select('caption')
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(row.caption).toBe('seeded 0');
  });
});

describe('DELETE /v1/videos/{id}', () => {
  it('hides the video at once, removes its S3 objects, and its glitches say the source is gone', async () => {
    const owner = await registerUser(api);
    const remixer = await registerUser(api);
    const id = await uploadVideo(
      api,
      media,
      owner,
      await makeTestVideo({ seconds: 1, width: 320, height: 240 }),
    );
    const view = await api.request('GET', `/v1/videos/${id}`);
    expect(view.body.status).toBe('ready');
    const [glitchId] = await seedReadyVideos(remixer.id, 1);
    await linkGlitchTo(glitchId!, id);
    const glitchBefore = await api.request('GET', `/v1/videos/${glitchId}`);
    expect(glitchBefore.body.glitch_of).toEqual({ video_id: id, kind: 'animate', available: true });

    const del = await api.request('DELETE', `/v1/videos/${id}`, { token: owner.accessToken });
    expect(del.status).toBe(204);
    expect((await api.request('GET', `/v1/videos/${id}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/videos/${id}`, { token: owner.accessToken })).status).toBe(404);
    expect((await api.request('DELETE', `/v1/videos/${id}`, { token: owner.accessToken })).status).toBe(404);
    const row = await getDb().selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (const key of [row.playback_key, row.poster_key, row.preview_key, row.original_key]) {
      expect(key).not.toBeNull();
      expect(await headObject(key!)).toBeNull();
    }
    // The CDN URL no longer plays anything (media-delivery.test.ts covers the rest of the removal).
    expect((await fetch(view.body.video_url)).status).toBe(403);

    const glitchAfter = await api.request('GET', `/v1/videos/${glitchId}`);
    expect(glitchAfter.status).toBe(200);
    expect(glitchAfter.body.glitch_of).toEqual({ video_id: id, kind: 'animate', available: false });
    const me = await api.request('GET', '/v1/auth/me', { token: owner.accessToken });
    expect(me.body.video_count).toBe(0);
  });
});

describe('GET /v1/videos (feed)', () => {
  it("answers the seed's path GET /v1/videos/ exactly like GET /v1/videos (local gateway and Lambda handler)", async () => {
    const owner = await registerUser(api);
    await seedReadyVideos(owner.id, 3);
    const ids = (body: { items: Array<{ id: string }> }) => body.items.map((v) => v.id);
    const plain = await api.request('GET', `/v1/videos?user_id=${owner.id}&limit=2`);
    const slash = await api.request('GET', `/v1/videos/?user_id=${owner.id}&limit=2`);
    expect(slash.status).toBe(200);
    expect(ids(slash.body)).toEqual(ids(plain.body));
    expect(ids(slash.body)).toHaveLength(2);
    expect(slash.body.next_cursor).toBe(plain.body.next_cursor);
    const bad = await api.request('GET', '/v1/videos/?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');

    // API Gateway sends the route key it matched, `GET /v1/videos/`, to the videos Lambda.
    const res = (await videosHandler(
      httpApiEvent({
        method: 'GET',
        path: '/v1/videos/',
        query: { user_id: owner.id, limit: '2' },
        headers: { authorization: `Bearer ${owner.accessToken}` },
      }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(200);
    expect(ids(JSON.parse(res.body!))).toEqual(ids(plain.body));
  });

  it('pages newest first with a keyset cursor, without gaps or repeats, even for equal timestamps', async () => {
    const owner = await registerUser(api);
    const sameMs = new Date();
    const ids = await seedReadyVideos(owner.id, 5, {
      // Three rows share one exact timestamp: the id must break the tie.
      createdAt: (i) => new Date(sameMs.getTime() - (i < 3 ? 0 : i)),
    });
    await seedReadyVideos(owner.id, 1, { visibility: 'private' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string }[]; next_cursor: string | null } } =
        await api.request(
          'GET',
          `/v1/videos?user_id=${owner.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((v) => v.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('rejects an invalid cursor (400) and clamps an oversized limit', async () => {
    const bad = await api.request('GET', '/v1/videos?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    const forged = Buffer.from(JSON.stringify({ t: "1' OR 1=1", id: 'x' })).toString('base64url');
    expect((await api.request('GET', `/v1/videos?cursor=${forged}`)).status).toBe(400);
    const owner = await registerUser(api);
    await seedReadyVideos(owner.id, 55);
    const big = await api.request('GET', `/v1/videos?user_id=${owner.id}&limit=100000`);
    expect(big.status).toBe(200);
    expect(big.body.items).toHaveLength(50);
    expect(big.body.next_cursor).toEqual(expect.any(String));
    expect((await api.request('GET', '/v1/videos?limit=0')).status).toBe(400);
    expect((await api.request('GET', '/v1/videos?limit=abc')).status).toBe(400);
  });

  it('?feed=following shows only followed creators and needs sign-in', async () => {
    const viewer = await registerUser(api);
    const followed = await registerUser(api);
    const stranger = await registerUser(api);
    const [followedVideo] = await seedReadyVideos(followed.id, 1);
    await seedReadyVideos(stranger.id, 1);
    await followAll([[viewer.id, followed.id]]);
    const res = await api.request('GET', '/v1/videos?feed=following', { token: viewer.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.items.map((v: { id: string }) => v.id)).toEqual([followedVideo]);
    expect((await api.request('GET', '/v1/videos?feed=following')).status).toBe(401);
  });

  it('marks the videos the caller liked in the same response', async () => {
    const viewer = await registerUser(api);
    const owner = await registerUser(api);
    const [a, b] = await seedReadyVideos(owner.id, 2);
    await likeVideoAs(viewer.id, a!);
    const res = await api.request('GET', `/v1/videos?user_id=${owner.id}`, { token: viewer.accessToken });
    const liked = Object.fromEntries(
      res.body.items.map((v: { id: string; liked_by_me: boolean }) => [v.id, v.liked_by_me]),
    );
    expect(liked).toEqual({ [a!]: true, [b!]: false });
  });
});
