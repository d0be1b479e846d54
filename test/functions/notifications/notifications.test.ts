import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { createNotification } from '../../../shared/notifications/repository.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, MISSING_ID, notificationsOf } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

describe('GET /v1/notifications', () => {
  it('lists like, comment, follow and glitch notifications newest first with actor, video and comment', async () => {
    const owner = await createUser();
    const fan = await createUser({ displayName: '글리치 팬' });
    const [video] = await seedReadyVideos(owner.id, 1);
    await api.request('POST', `/v1/likes/videos/${video}`, { token: fan.accessToken });
    const c = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: fan.accessToken,
      body: { body: `wow ${'a'.repeat(200)}` },
    });
    await api.request('POST', `/v1/follows/users/${owner.id}`, { token: fan.accessToken });
    // The AI webhook's call, inside its own transaction.
    const [glitch] = await seedReadyVideos(fan.id, 1);
    await getDb()
      .transaction()
      .execute((trx) =>
        createNotification(trx, { recipientId: owner.id, actorId: fan.id, type: 'glitch', videoId: glitch }),
      );

    const res = await api.request('GET', '/v1/notifications', { token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.items.map((n: { type: string }) => n.type)).toEqual([
      'glitch',
      'follow',
      'comment',
      'like',
    ]);
    const [g, f, cm, l] = res.body.items;
    const actor = { id: fan.id, username: fan.username, display_name: '글리치 팬', avatar_url: null };
    expect(l).toMatchObject({ read: false, actor, video: { id: video }, comment: null });
    expect(l.video.thumbnail_url).toEqual(expect.stringContaining(`thumbnails/${video}.jpg`));
    expect(cm).toMatchObject({ actor, video: { id: video }, comment: { id: c.body.id, parent_id: null } });
    expect(cm.comment.excerpt).toHaveLength(100);
    expect(f).toMatchObject({ actor, video: null, comment: null });
    expect(g).toMatchObject({ video: { id: glitch } });

    const count = await api.request('GET', '/v1/notifications/unread-count', { token: owner.accessToken });
    expect(count.body).toEqual({ unread_count: 4 });
    // The actor was told nothing about their own actions.
    expect((await api.request('GET', '/v1/notifications', { token: fan.accessToken })).body.items).toEqual(
      [],
    );
  });

  it('pages with a keyset cursor, rejects bad cursors and clamps the limit; 401 logged out', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const videos = await seedReadyVideos(owner.id, 55);
    await getDb()
      .insertInto('notifications')
      .values(
        videos.map((id) => ({
          recipient_id: owner.id,
          actor_id: fan.id,
          type: 'like' as const,
          video_id: id,
        })),
      )
      .execute();
    const first = await api.request('GET', '/v1/notifications?limit=500', { token: owner.accessToken });
    expect(first.body.items).toHaveLength(50);
    const rest = await api.request('GET', `/v1/notifications?limit=500&cursor=${first.body.next_cursor}`, {
      token: owner.accessToken,
    });
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.next_cursor).toBeNull();
    const ids = new Set([...first.body.items, ...rest.body.items].map((n: { id: string }) => n.id));
    expect(ids.size).toBe(55);
    const bad = await api.request('GET', '/v1/notifications?cursor=bm90LWpzb24', {
      token: owner.accessToken,
    });
    expect(bad.status).toBe(400);
    for (const path of ['/v1/notifications', '/v1/notifications/unread-count']) {
      expect((await api.request('GET', path)).status).toBe(401);
    }
  });

  it('hides notifications about deleted videos and comments', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const [video, gone] = await seedReadyVideos(owner.id, 2);
    await api.request('POST', `/v1/likes/videos/${video}`, { token: fan.accessToken });
    await api.request('POST', `/v1/likes/videos/${gone}`, { token: fan.accessToken });
    const c = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: fan.accessToken,
      body: { body: 'regret' },
    });
    await api.request('DELETE', `/v1/videos/${gone}`, { token: owner.accessToken });
    await api.request('DELETE', `/v1/comments/${c.body.id}`, { token: fan.accessToken });
    const res = await api.request('GET', '/v1/notifications', { token: owner.accessToken });
    expect(res.body.items.map((n: { type: string; video: { id: string } }) => [n.type, n.video.id])).toEqual([
      ['like', video],
    ]);
    const count = await api.request('GET', '/v1/notifications/unread-count', { token: owner.accessToken });
    expect(count.body.unread_count).toBe(1);
  });
});

describe('marking notifications read', () => {
  it('marks one (recipient only, idempotent) and then all', async () => {
    const owner = await createUser();
    const fan = await createUser();
    const other = await createUser();
    const [a, b, c] = await seedReadyVideos(owner.id, 3);
    for (const v of [a, b, c]) await api.request('POST', `/v1/likes/videos/${v}`, { token: fan.accessToken });
    const [first] = await notificationsOf(owner.id);

    const path = `/v1/notifications/${first!.id}/read`;
    expect((await api.request('POST', path)).status).toBe(401);
    // Someone else's notification does not exist for you.
    expect((await api.request('POST', path, { token: other.accessToken })).status).toBe(404);
    expect((await api.request('POST', path, { token: fan.accessToken })).status).toBe(404);
    expect(
      (await api.request('POST', `/v1/notifications/${MISSING_ID}/read`, { token: owner.accessToken }))
        .status,
    ).toBe(404);
    expect(
      (await api.request('POST', '/v1/notifications/nope/read', { token: owner.accessToken })).status,
    ).toBe(400);
    expect((await api.request('POST', path, { token: owner.accessToken })).status).toBe(204);
    const readAt = (await notificationsOf(owner.id)).find((n) => n.id === first!.id)!.read_at;
    expect(readAt).not.toBeNull();
    expect((await api.request('POST', path, { token: owner.accessToken })).status).toBe(204);
    expect((await notificationsOf(owner.id)).find((n) => n.id === first!.id)!.read_at).toEqual(readAt);

    const count = () => api.request('GET', '/v1/notifications/unread-count', { token: owner.accessToken });
    expect((await count()).body.unread_count).toBe(2);
    const list = await api.request('GET', '/v1/notifications', { token: owner.accessToken });
    expect(list.body.items.find((n: { id: string }) => n.id === first!.id).read).toBe(true);

    expect((await api.request('POST', '/v1/notifications/read-all')).status).toBe(401);
    expect(
      (await api.request('POST', '/v1/notifications/read-all', { token: owner.accessToken })).status,
    ).toBe(204);
    expect((await count()).body.unread_count).toBe(0);
    expect(
      (await api.request('POST', '/v1/notifications/read-all', { token: owner.accessToken })).status,
    ).toBe(204);
  });
});
