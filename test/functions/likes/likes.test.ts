import { describe, expect, it } from 'vitest';
import { hideVideo } from '../../harness/consistent-writes.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, MISSING_ID, notificationsOf, videoCounts } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

describe('POST / DELETE /v1/likes/videos/{id}', () => {
  it('likes and unlikes idempotently, keeping like_count equal to the likes rows', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const path = `/v1/likes/videos/${video}`;

    const first = await api.request('POST', path, { token: fan.accessToken });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ video_id: video, liked: true, like_count: 1 });
    const again = await api.request('POST', path, { token: fan.accessToken });
    expect(again.body).toEqual({ video_id: video, liked: true, like_count: 1 });
    expect(await videoCounts(video!)).toMatchObject({ like_count: 1, likes_rows: 1 });

    const view = await api.request('GET', `/v1/videos/${video}`, { token: fan.accessToken });
    expect(view.body).toMatchObject({ like_count: 1, liked_by_me: true });

    const unlike = await api.request('DELETE', path, { token: fan.accessToken });
    expect(unlike.status).toBe(200);
    expect(unlike.body).toEqual({ video_id: video, liked: false, like_count: 0 });
    const unlikeAgain = await api.request('DELETE', path, { token: fan.accessToken });
    expect(unlikeAgain.body).toEqual({ video_id: video, liked: false, like_count: 0 });
    // Never liked at all: harmless too.
    const stranger = await createUser();
    expect((await api.request('DELETE', path, { token: stranger.accessToken })).body.like_count).toBe(0);
    expect(await videoCounts(video!)).toMatchObject({ like_count: 0, likes_rows: 0 });
  });

  it('answers 401 logged out, 400 for a malformed id, 404 for missing, private and deleted videos', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [publicVideo] = await seedReadyVideos(owner.id, 1);
    const [privateVideo] = await seedReadyVideos(owner.id, 1, { visibility: 'private' });
    const [deletedVideo] = await seedReadyVideos(owner.id, 1);
    await hideVideo(deletedVideo!, 'deleted');

    for (const method of ['POST', 'DELETE']) {
      expect((await api.request(method, `/v1/likes/videos/${publicVideo}`)).status).toBe(401);
      expect((await api.request(method, '/v1/likes/videos/nope', { token: fan.accessToken })).status).toBe(
        400,
      );
      for (const id of [MISSING_ID, privateVideo, deletedVideo]) {
        const res = await api.request(method, `/v1/likes/videos/${id}`, { token: fan.accessToken });
        expect(res.status, `${method} ${id}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    }
    for (const id of [MISSING_ID, privateVideo, deletedVideo]) {
      expect((await api.request('GET', `/v1/likes/videos/${id}/check`)).status).toBe(404);
    }
    expect(await videoCounts(privateVideo!)).toMatchObject({ like_count: 0, likes_rows: 0 });
  });

  it('lets owners like their own private or unfinished video, without notifying themselves', async () => {
    const owner = await createUser();
    const [privateVideo] = await seedReadyVideos(owner.id, 1, { visibility: 'private' });
    const res = await api.request('POST', `/v1/likes/videos/${privateVideo}`, { token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.like_count).toBe(1);
    expect(await notificationsOf(owner.id)).toHaveLength(0);
  });
});

describe('GET /v1/likes/videos/{id}/check', () => {
  it('says whether the caller likes it, and null when logged out', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const other = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    await api.request('POST', `/v1/likes/videos/${video}`, { token: fan.accessToken });
    const path = `/v1/likes/videos/${video}/check`;
    expect((await api.request('GET', path, { token: fan.accessToken })).body).toEqual({
      video_id: video,
      liked: true,
      like_count: 1,
    });
    expect((await api.request('GET', path, { token: other.accessToken })).body.liked).toBe(false);
    const anonymous = await api.request('GET', path);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ video_id: video, liked: null, like_count: 1 });
    expect((await api.request('GET', path, { token: 'garbage' })).status).toBe(401);
  });
});

describe('like notifications', () => {
  it('a like/unlike/like storm leaves one unread like notification; unlike takes an unread one back', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const path = `/v1/likes/videos/${video}`;
    for (let i = 0; i < 3; i++) {
      await api.request('POST', path, { token: fan.accessToken });
      await api.request('DELETE', path, { token: fan.accessToken });
    }
    expect(await notificationsOf(owner.id)).toHaveLength(0);
    await api.request('POST', path, { token: fan.accessToken });
    await api.request('POST', path, { token: fan.accessToken });
    const [only, ...rest] = await notificationsOf(owner.id);
    expect(rest).toHaveLength(0);
    expect(only).toMatchObject({ type: 'like', actor_id: fan.id, video_id: video, read_at: null });

    // Once read, it is history: a new like after an unlike is news again.
    await api.request('POST', `/v1/notifications/${only!.id}/read`, { token: owner.accessToken });
    await api.request('DELETE', path, { token: fan.accessToken });
    await api.request('POST', path, { token: fan.accessToken });
    const after = await notificationsOf(owner.id);
    expect(after).toHaveLength(2);
    expect(after.filter((n) => n.read_at === null)).toHaveLength(1);
  });
});
