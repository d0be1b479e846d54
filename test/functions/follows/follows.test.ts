import { describe, expect, it } from 'vitest';
import { followAll } from '../../harness/consistent-writes.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, createUsers, followCounts, MISSING_ID, notificationsOf } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

const follow = (token: string, id: string) => api.request('POST', `/v1/follows/users/${id}`, { token });
const unfollow = (token: string, id: string) => api.request('DELETE', `/v1/follows/users/${id}`, { token });

describe('POST / DELETE /v1/follows/users/{id}', () => {
  it('follows and unfollows idempotently; both profiles count it', async () => {
    const fan = await createUser();
    const star = await createUser();
    const first = await follow(fan.accessToken, star.id);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ user_id: star.id, following: true, follower_count: 1 });
    expect((await follow(fan.accessToken, star.id)).body.follower_count).toBe(1);

    const profile = await api.request('GET', `/v1/users/${star.id}`);
    expect(profile.body).toMatchObject({ follower_count: 1, following_count: 0 });
    const fanProfile = await api.request('GET', `/v1/users/${fan.id}`);
    expect(fanProfile.body).toMatchObject({ follower_count: 0, following_count: 1 });

    const off = await unfollow(fan.accessToken, star.id);
    expect(off.body).toEqual({ user_id: star.id, following: false, follower_count: 0 });
    expect((await unfollow(fan.accessToken, star.id)).body.follower_count).toBe(0);
    expect(await followCounts(star.id)).toMatchObject({ follower_count: 0, follower_rows: 0 });
    expect(await followCounts(fan.id)).toMatchObject({ following_count: 0, following_rows: 0 });
  });

  it('refuses self-follow (400), unknown people (404), malformed ids (400) and logged-out calls (401)', async () => {
    const me = await createUser();
    const self = await follow(me.accessToken, me.id);
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('cannot_follow_self');
    expect((await unfollow(me.accessToken, me.id)).status).toBe(400);
    expect((await follow(me.accessToken, MISSING_ID)).status).toBe(404);
    expect((await unfollow(me.accessToken, MISSING_ID)).status).toBe(404);
    expect((await follow(me.accessToken, 'nope')).status).toBe(400);
    expect((await api.request('POST', `/v1/follows/users/${me.id}`)).status).toBe(401);
    expect((await api.request('DELETE', `/v1/follows/users/${me.id}`)).status).toBe(401);
    expect(await followCounts(me.id)).toMatchObject({ follower_count: 0, following_count: 0 });
  });

  it('notifies once per unread follow, however often someone follows and unfollows', async () => {
    const fan = await createUser();
    const star = await createUser();
    for (let i = 0; i < 3; i++) {
      await follow(fan.accessToken, star.id);
      await unfollow(fan.accessToken, star.id);
    }
    await follow(fan.accessToken, star.id);
    const notes = await notificationsOf(star.id);
    expect(notes.map((n) => [n.type, n.actor_id, n.read_at])).toEqual([['follow', fan.id, null]]);
  });

  it("feeds ?feed=following with the followed person's videos", async () => {
    const fan = await createUser();
    const star = await createUser();
    const [video] = await seedReadyVideos(star.id, 1);
    await follow(fan.accessToken, star.id);
    const feed = await api.request('GET', '/v1/videos?feed=following', { token: fan.accessToken });
    expect(feed.body.items.map((v: { id: string }) => v.id)).toEqual([video]);
  });
});

describe('GET /v1/follows/users/{id}/followers and /following', () => {
  it('pages newest first with whether the caller follows each (null logged out)', async () => {
    const star = await createUser();
    const fans = await createUsers(5);
    for (const f of fans) await follow(f.accessToken, star.id);
    const viewer = await createUser();
    await follow(viewer.accessToken, fans[1]!.id);
    await follow(viewer.accessToken, star.id);

    const seen: { id: string; followed_by_me: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: typeof seen; next_cursor: string | null } } =
        await api.request(
          'GET',
          `/v1/follows/users/${star.id}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          {
            token: viewer.accessToken,
          },
        );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen.map((u) => u.id)).toEqual([viewer.id, ...[...fans].reverse().map((f) => f.id)]);
    const followedByMe = Object.fromEntries(seen.map((u) => [u.id, u.followed_by_me]));
    expect(followedByMe[fans[1]!.id]).toBe(true);
    expect(followedByMe[fans[0]!.id]).toBe(false);

    const anonymous = await api.request('GET', `/v1/follows/users/${star.id}/followers`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.items).toHaveLength(6);
    expect(anonymous.body.items.every((u: { followed_by_me: unknown }) => u.followed_by_me === null)).toBe(
      true,
    );
    expect(anonymous.body.items[0]).not.toHaveProperty('email');
    expect(anonymous.body.items[0]).not.toHaveProperty('credits');

    const following = await api.request('GET', `/v1/follows/users/${viewer.id}/following`, {
      token: fans[1]!.accessToken,
    });
    expect(following.body.items.map((u: { id: string }) => u.id)).toEqual([star.id, fans[1]!.id]);
    expect(following.body.items.map((u: { followed_by_me: boolean }) => u.followed_by_me)).toEqual([
      true,
      false,
    ]);
  });

  it('answers 404 for unknown people, 400 for bad ids and cursors, and clamps the limit', async () => {
    expect((await api.request('GET', `/v1/follows/users/${MISSING_ID}/followers`)).status).toBe(404);
    expect((await api.request('GET', `/v1/follows/users/${MISSING_ID}/following`)).status).toBe(404);
    expect((await api.request('GET', '/v1/follows/users/nope/followers')).status).toBe(400);
    const star = await createUser();
    const bad = await api.request('GET', `/v1/follows/users/${star.id}/followers?cursor=xyz`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    const fans = await createUsers(52);
    await followAll(fans.map((f) => [f.id, star.id] as const));
    const big = await api.request('GET', `/v1/follows/users/${star.id}/followers?limit=999`);
    expect(big.body.items).toHaveLength(50);
    expect(big.body.next_cursor).toEqual(expect.any(String));
    const rest = await api.request(
      'GET',
      `/v1/follows/users/${star.id}/followers?limit=999&cursor=${big.body.next_cursor}`,
    );
    expect(rest.body.items).toHaveLength(2);
    expect(new Set([...big.body.items, ...rest.body.items].map((u: { id: string }) => u.id)).size).toBe(52);
  });
});

describe('GET /v1/follows/users/{id}/check', () => {
  it('says who follows whom; null logged out', async () => {
    const a = await createUser();
    const b = await createUser();
    await follow(b.accessToken, a.id);
    const check = (token?: string) => api.request('GET', `/v1/follows/users/${b.id}/check`, { token });
    expect((await check(a.accessToken)).body).toEqual({ user_id: b.id, following: false, follows_me: true });
    await follow(a.accessToken, b.id);
    expect((await check(a.accessToken)).body).toEqual({ user_id: b.id, following: true, follows_me: true });
    expect((await check()).body).toEqual({ user_id: b.id, following: null, follows_me: null });
    expect((await api.request('GET', `/v1/follows/users/${MISSING_ID}/check`)).status).toBe(404);
  });
});
