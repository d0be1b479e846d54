import { describe, expect, it } from 'vitest';
import { hideVideo } from '../../harness/consistent-writes.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, MISSING_ID } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

describe('GET /v1/users/{id}', () => {
  it('shows a public profile with counts to anyone, and whether the caller follows them', async () => {
    const star = await registerUser(api);
    const fan = await createUser();
    await seedReadyVideos(star.id, 2);
    await api.request('POST', `/v1/follows/users/${star.id}`, { token: fan.accessToken });

    const anonymous = await api.request('GET', `/v1/users/${star.id}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({
      id: star.id,
      username: star.username,
      display_name: star.username,
      bio: '',
      avatar_url: null,
      follower_count: 1,
      following_count: 0,
      video_count: 2,
      followed_by_me: null,
    });
    // Never another person's email or credits.
    expect(anonymous.text).not.toContain(star.email);
    expect(anonymous.body).not.toHaveProperty('credits');

    const asFan = await api.request('GET', `/v1/users/${star.id}`, { token: fan.accessToken });
    expect(asFan.body.followed_by_me).toBe(true);
    const asSelf = await api.request('GET', `/v1/users/${star.id}`, { token: star.accessToken });
    expect(asSelf.body.followed_by_me).toBe(false);
    expect(asSelf.body).not.toHaveProperty('email');
  });

  it('is 404 for unknown people and 400 for malformed ids; a bad token is 401', async () => {
    expect((await api.request('GET', `/v1/users/${MISSING_ID}`)).status).toBe(404);
    expect((await api.request('GET', '/v1/users/not-a-uuid')).status).toBe(400);
    const someone = await createUser();
    expect((await api.request('GET', `/v1/users/${someone.id}`, { token: 'nope' })).status).toBe(401);
  });
});

describe('GET /v1/usernames/{username}', () => {
  it('finds people by username whatever the case', async () => {
    const person = await registerUser(api);
    for (const spelling of [person.username, person.username.toUpperCase()]) {
      const res = await api.request('GET', `/v1/usernames/${spelling}`);
      expect(res.status, spelling).toBe(200);
      expect(res.body).toMatchObject({ id: person.id, username: person.username, followed_by_me: null });
    }
    expect((await api.request('GET', '/v1/usernames/nobody_here_at_all_x')).status).toBe(404);
    expect((await api.request('GET', '/v1/usernames/no')).status).toBe(400);
    expect((await api.request('GET', `/v1/usernames/${encodeURIComponent("x' OR 1=1 --")}`)).status).toBe(
      400,
    );
  });
});

describe('GET /v1/users/{id}/videos', () => {
  it("pages a person's public ready videos newest first, for anyone", async () => {
    const owner = await createUser();
    const now = Date.now();
    const videos = await seedReadyVideos(owner.id, 5, { createdAt: (i) => new Date(now - i * 1000) });
    await seedReadyVideos(owner.id, 1, { visibility: 'private' });
    const [gone] = await seedReadyVideos(owner.id, 1);
    await hideVideo(gone!, 'deleted');

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; next_cursor: string | null } } =
        await api.request('GET', `/v1/users/${owner.id}/videos?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((v) => v.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(videos);
    // The owner sees the same public list here (their drafts live elsewhere).
    const own = await api.request('GET', `/v1/users/${owner.id}/videos`, { token: owner.accessToken });
    expect(own.body.items.map((v: { id: string }) => v.id)).toEqual(videos);
    expect(own.body.items[0].liked_by_me).toBe(false);
  });

  it('is 404 for unknown people, 400 for bad ids and cursors, and clamps the limit', async () => {
    expect((await api.request('GET', `/v1/users/${MISSING_ID}/videos`)).status).toBe(404);
    expect((await api.request('GET', '/v1/users/nope/videos')).status).toBe(400);
    const owner = await createUser();
    const bad = await api.request('GET', `/v1/users/${owner.id}/videos?cursor=garbage`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
    await seedReadyVideos(owner.id, 52);
    const big = await api.request('GET', `/v1/users/${owner.id}/videos?limit=5000`);
    expect(big.body.items).toHaveLength(50);
    expect(big.body.next_cursor).toEqual(expect.any(String));
  });
});
