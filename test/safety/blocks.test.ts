import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { syncVideoHashtags } from '../../shared/hashtags/repository.ts';
import { followAll, linkGlitchTo, postComments } from '../harness/consistent-writes.ts';
import { useApi } from '../harness/http.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { useInvariants } from '../reliability/harness.ts';
import { createUser, followCounts, MISSING_ID, type QuickUser } from '../social/fixtures.ts';

useLocalMedia();
const api = useApi();
const invariants = useInvariants();

const block = (by: QuickUser, id: string) =>
  api.request('POST', `/v1/blocks/users/${id}`, { token: by.accessToken });
const unblock = (by: QuickUser, id: string) =>
  api.request('DELETE', `/v1/blocks/users/${id}`, { token: by.accessToken });

async function pair() {
  const blocker = await createUser();
  const blocked = await createUser();
  invariants.track(blocker.id, blocked.id);
  return { blocker, blocked };
}

const ids = (res: { body: any }) => (res.body.items as { id: string }[]).map((i) => i.id);

describe('blocks', () => {
  it('removes follows both ways with exact counts; unblocking restores visibility, not follows', async () => {
    const { blocker, blocked } = await pair();
    const bystander = await createUser();
    invariants.track(bystander.id);
    await followAll([
      [blocker.id, blocked.id],
      [blocked.id, blocker.id],
      [bystander.id, blocker.id],
      [bystander.id, blocked.id],
    ]);
    expect(await followCounts(blocker.id)).toMatchObject({ follower_count: 2, following_count: 1 });

    const res = await block(blocker, blocked.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: blocked.id, blocked: true });
    expect((await block(blocker, blocked.id)).body.blocked).toBe(true);
    for (const id of [blocker.id, blocked.id]) {
      const c = await followCounts(id);
      expect(c).toEqual({ ...c, follower_count: 1, follower_rows: 1, following_count: 0, following_rows: 0 });
    }
    // Following across the block is refused either way (looks missing).
    expect(
      (await api.request('POST', `/v1/follows/users/${blocker.id}`, { token: blocked.accessToken })).status,
    ).toBe(404);
    expect(
      (await api.request('POST', `/v1/follows/users/${blocked.id}`, { token: blocker.accessToken })).status,
    ).toBe(404);

    const list = await api.request('GET', '/v1/blocks', { token: blocker.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([blocked.id]);
    expect((await api.request('GET', '/v1/blocks', { token: blocked.accessToken })).body.items).toEqual([]);

    expect((await unblock(blocker, blocked.id)).body).toEqual({ user_id: blocked.id, blocked: false });
    expect((await unblock(blocker, blocked.id)).status).toBe(200);
    for (const id of [blocker.id, blocked.id]) {
      const c = await followCounts(id);
      expect(c).toEqual({ ...c, follower_count: 1, follower_rows: 1, following_count: 0, following_rows: 0 });
    }
    const again = await api.request('POST', `/v1/follows/users/${blocker.id}`, {
      token: blocked.accessToken,
    });
    expect(again.body).toEqual({ user_id: blocker.id, following: true, follower_count: 2 });
  });

  it('refuses blocking yourself (400), unknown people (404) and logged-out calls (401)', async () => {
    const me = await createUser();
    expect((await block(me, me.id)).body.error.code).toBe('cannot_block_self');
    expect((await block(me, MISSING_ID)).status).toBe(404);
    expect((await api.request('POST', `/v1/blocks/users/${me.id}`)).status).toBe(401);
    expect((await api.request('GET', '/v1/blocks')).status).toBe(401);
  });

  it("neither side sees the other's videos, profile, comments or lists anywhere; others still do", async () => {
    const { blocker, blocked } = await pair();
    const bystander = await createUser();
    const tag = `blk${Date.now().toString(36)}`;
    const [blockerVideo] = await seedReadyVideos(blocker.id, 1, { caption: () => `blocker clip #${tag}` });
    const [blockedVideo] = await seedReadyVideos(blocked.id, 1, { caption: () => `blocked clip #${tag}` });
    const [glitch] = await seedReadyVideos(blocked.id, 1, { caption: () => `remix #${tag}` });
    for (const id of [blockerVideo!, blockedVideo!, glitch!]) await syncVideoHashtags(getDb(), id, `#${tag}`);
    await linkGlitchTo(glitch!, blockerVideo!);
    await postComments(blockerVideo!, blocked.id, ['hello from blocked']);
    await followAll([[bystander.id, blocker.id]]);
    await block(blocker, blocked.id);

    for (const [viewer, other, theirVideo] of [
      [blocked, blocker, blockerVideo!],
      [blocker, blocked, blockedVideo!],
    ] as const) {
      const t = { token: viewer.accessToken };
      expect((await api.request('GET', `/v1/videos/${theirVideo}`, t)).status).toBe(404);
      expect((await api.request('GET', `/v1/users/${other.id}`, t)).status).toBe(404);
      expect((await api.request('GET', `/v1/users/${other.id}/videos`, t)).status).toBe(404);
      expect((await api.request('GET', `/v1/follows/users/${other.id}/followers`, t)).status).toBe(404);
      expect(ids(await api.request('GET', '/v1/videos?limit=50', t))).not.toContain(theirVideo);
      expect(ids(await api.request('GET', `/v1/hashtags/${tag}/videos`, t))).not.toContain(theirVideo);
      expect(ids(await api.request('GET', `/v1/search/videos?q=${tag}`, t))).not.toContain(theirVideo);
      expect(ids(await api.request('GET', `/v1/search/users?q=${other.username}`, t))).toEqual([]);
      // No like, comment or glitch chain across the block: their video looks missing.
      expect((await api.request('POST', `/v1/likes/videos/${theirVideo}`, t)).status).toBe(404);
      const comment = await api.request('POST', `/v1/comments/videos/${theirVideo}`, {
        ...t,
        body: { body: 'hi' },
      });
      expect(comment.status).toBe(404);
      expect((await api.request('GET', `/v1/glitch/videos/${theirVideo}/glitches`, t)).status).toBe(404);
      // A glitch starts with a studio selection of the source: refused as for a missing video.
      const select = await api.request('POST', `/v1/studio/videos/${theirVideo}/select-range`, {
        ...t,
        body: { start_ms: 0, end_ms: 1000 },
      });
      expect(select.status).toBe(404);
    }
    // The blocker's video's chain and comments no longer list the blocked person's glitch and comment.
    const t = { token: blocker.accessToken };
    expect(ids(await api.request('GET', `/v1/glitch/videos/${blockerVideo!}/glitches`, t))).toEqual([]);
    expect((await api.request('GET', `/v1/comments/videos/${blockerVideo!}`, t)).body.items).toEqual([]);
    // A bystander sees both as before; the blocker is still listed as the bystander's followee.
    const b = { token: bystander.accessToken };
    expect(ids(await api.request('GET', `/v1/glitch/videos/${blockerVideo!}/glitches`, b))).toEqual([
      glitch!,
    ]);
    expect((await api.request('GET', `/v1/comments/videos/${blockerVideo!}`, b)).body.items).toHaveLength(1);
    for (const path of [`/v1/hashtags/${tag}/videos`, `/v1/search/videos?q=${tag}`]) {
      expect(ids(await api.request('GET', path, b)).sort()).toEqual(
        [blockerVideo!, blockedVideo!, glitch!].sort(),
      );
    }
    // In third-party lists too: the blocked person does not see the blocker among whom the bystander follows.
    const following = await api.request('GET', `/v1/follows/users/${bystander.id}/following`, {
      token: blocked.accessToken,
    });
    expect(ids(following)).toEqual([]);

    // Unblocking brings everything back.
    await unblock(blocker, blocked.id);
    expect(
      (await api.request('GET', `/v1/videos/${blockerVideo!}`, { token: blocked.accessToken })).status,
    ).toBe(200);
  });

  it("no reply to a comment across a block, even under a third person's video", async () => {
    const { blocker, blocked } = await pair();
    const third = await createUser();
    const [video] = await seedReadyVideos(third.id, 1);
    await postComments(video!, blocker.id, ['top-level by the blocker']);
    const parent = await getDb()
      .selectFrom('comments')
      .select('id')
      .where('video_id', '=', video!)
      .executeTakeFirstOrThrow();
    await block(blocker, blocked.id);
    const reply = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: blocked.accessToken,
      body: { body: 'hey', parent_id: parent.id },
    });
    expect(reply.status).toBe(404);
    expect(
      (await api.request('GET', `/v1/comments/${parent.id}/replies`, { token: third.accessToken })).body
        .items,
    ).toEqual([]);
  });

  it('notifications: nothing new is recorded across a block, and older ones are hidden', async () => {
    const { blocker, blocked } = await pair();
    const [video] = await seedReadyVideos(blocker.id, 1);
    await postComments(video!, blocked.id, ['before the block']);
    const before = await api.request('GET', '/v1/notifications', { token: blocker.accessToken });
    expect(before.body.items).toHaveLength(1);
    await block(blocker, blocked.id);
    expect(
      (await api.request('GET', '/v1/notifications', { token: blocker.accessToken })).body.items,
    ).toEqual([]);
    expect(
      (await api.request('GET', '/v1/notifications/unread-count', { token: blocker.accessToken })).body
        .unread_count,
    ).toBe(0);
    // Reversed roles: the blocked one follows nobody now, and a follow attempt notifies nobody.
    await api.request('POST', `/v1/follows/users/${blocker.id}`, { token: blocked.accessToken });
    const rows = await getDb()
      .selectFrom('notifications')
      .select('type')
      .where('recipient_id', '=', blocker.id)
      .execute();
    expect(rows.map((r) => r.type)).toEqual(['comment']);
  });
});
