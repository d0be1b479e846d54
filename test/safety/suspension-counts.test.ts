import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { useLocalAccounts } from '../harness/accounts-stack.ts';
import { registerUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { backendPid, untilBlockedBy, waiterOf } from '../harness/locks.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { useInvariants } from '../reliability/harness.ts';
import { createUser, type QuickUser } from '../social/fixtures.ts';

// A suspended account's likes and follows stop counting on others (a spam ring's fake likes and
// followers go with it) and count again when the suspension is lifted.
useLocalMedia(); // the video view's media URLs
const api = useApi();
const accounts = useLocalAccounts();
const invariants = useInvariants();

async function moderator(): Promise<QuickUser> {
  const staff = await createUser();
  await getDb().updateTable('users').set({ role: 'moderator' }).where('id', '=', staff.id).execute();
  return staff;
}

async function people(n: number): Promise<QuickUser[]> {
  const users = await Promise.all(Array.from({ length: n }, () => createUser()));
  invariants.track(...users.map((u) => u.id));
  return users;
}

function as(user: { accessToken: string }) {
  return (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    api.request(method, path, { token: user.accessToken, ...(body ? { body } : {}) });
}

async function ok(res: Promise<{ status: number; text: string; body: any }>) {
  const r = await res;
  expect(r.status, r.text).toBeLessThan(300);
  return r.body;
}

const moderate = (staff: QuickUser, action: 'suspend' | 'unsuspend', userId: string) =>
  as(staff)('POST', `/v1/moderation/users/${userId}/${action}`, { reason: `test ${action}` });

async function counts(userId: string) {
  return getDb()
    .selectFrom('users')
    .select(['follower_count', 'following_count'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

async function likeCount(videoId: string) {
  const row = await getDb()
    .selectFrom('videos')
    .select('like_count')
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  return row.like_count;
}

describe("a suspended account's likes and follows", () => {
  it('leave the counters they were in, once, and come back when the suspension is lifted', async () => {
    const staff = await moderator();
    const [owner, fan, friend, bad] = await people(4);
    const [video] = await seedReadyVideos(owner!.id, 1);
    await ok(as(bad!)('POST', `/v1/likes/videos/${video}`));
    await ok(as(fan!)('POST', `/v1/likes/videos/${video}`));
    await ok(as(bad!)('POST', `/v1/follows/users/${owner!.id}`));
    await ok(as(owner!)('POST', `/v1/follows/users/${bad!.id}`));
    await ok(as(fan!)('POST', `/v1/follows/users/${bad!.id}`));
    await ok(as(bad!)('POST', `/v1/follows/users/${friend!.id}`));
    await ok(as(friend!)('POST', `/v1/follows/users/${bad!.id}`));
    const before = await api.request('GET', `/v1/videos/${video}`);
    expect(before.body.like_count, before.text).toBe(2);
    expect(await counts(owner!.id)).toEqual({ follower_count: 1, following_count: 1 });

    expect((await moderate(staff, 'suspend', bad!.id)).status).toBe(200);
    // What people see right away: the video and the profiles without the suspended account.
    expect((await api.request('GET', `/v1/videos/${video}`)).body.like_count).toBe(1);
    const ownerProfile = (await api.request('GET', `/v1/users/${owner!.id}`)).body;
    expect(ownerProfile).toMatchObject({ follower_count: 0, following_count: 0 });
    expect(await counts(fan!.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect(await counts(friend!.id)).toEqual({ follower_count: 0, following_count: 0 });
    // A second suspension (a new reason) takes nothing out again.
    expect((await moderate(staff, 'suspend', bad!.id)).status).toBe(200);
    expect(await likeCount(video!)).toBe(1);
    expect(await counts(owner!.id)).toEqual({ follower_count: 0, following_count: 0 });

    // Meanwhile others may leave it: the follow goes, no counter moves a second time.
    const unfollow = await as(fan!)('DELETE', `/v1/follows/users/${bad!.id}`);
    expect(unfollow.status).toBe(200);
    expect(unfollow.body.following).toBe(false);
    expect(await counts(fan!.id)).toEqual({ follower_count: 0, following_count: 0 });
    await ok(as(owner!)('POST', `/v1/blocks/users/${bad!.id}`));
    expect(await counts(owner!.id)).toEqual({ follower_count: 0, following_count: 0 });
    // And nobody can start following a hidden account.
    expect((await as(fan!)('POST', `/v1/follows/users/${bad!.id}`)).status).toBe(404);

    expect((await moderate(staff, 'unsuspend', bad!.id)).status).toBe(200);
    expect(await likeCount(video!)).toBe(2);
    // The block removed both follows with the owner; the fan left; the friend's stay.
    expect(await counts(owner!.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect(await counts(friend!.id)).toEqual({ follower_count: 1, following_count: 1 });
    expect((await api.request('GET', `/v1/users/${bad!.id}`)).body).toMatchObject({
      follower_count: 1,
      following_count: 1,
    });
    // Lifting twice adds nothing twice.
    expect((await moderate(staff, 'unsuspend', bad!.id)).status).toBe(200);
    expect(await likeCount(video!)).toBe(2);
    expect(await counts(friend!.id)).toEqual({ follower_count: 1, following_count: 1 });
  });

  it('between accounts suspended at once (both ways, two moderators) count once, and again once lifted', async () => {
    const [mod1, mod2] = [await moderator(), await moderator()];
    const [a, b, watcher] = await people(3);
    for (const [from, to] of [
      [a, b],
      [b, a],
      [watcher, a],
      [watcher, b],
      [a, watcher],
    ] as const) {
      await ok(as(from!)('POST', `/v1/follows/users/${to!.id}`));
    }
    // The two suspensions may meet in a deadlock on each other's rows; the loser is run again.
    const suspended = await Promise.all([moderate(mod1, 'suspend', a!.id), moderate(mod2, 'suspend', b!.id)]);
    expect(suspended.map((r) => r.status)).toEqual([200, 200]);
    expect(await counts(watcher!.id)).toEqual({ follower_count: 0, following_count: 0 });

    const lifted = await Promise.all([
      moderate(mod1, 'unsuspend', b!.id),
      moderate(mod2, 'unsuspend', a!.id),
    ]);
    expect(lifted.map((r) => r.status)).toEqual([200, 200]);
    expect(await counts(watcher!.id)).toEqual({ follower_count: 1, following_count: 2 });
    expect(await counts(a!.id)).toEqual({ follower_count: 2, following_count: 2 });
    expect(await counts(b!.id)).toEqual({ follower_count: 2, following_count: 1 });
  });

  it('a like that reaches the database while the suspension commits is refused and counts nowhere', async () => {
    const staff = await moderator();
    const [owner, bad] = await people(2);
    const [first, second] = await seedReadyVideos(owner!.id, 2);
    await ok(as(bad!)('POST', `/v1/likes/videos/${first}`));
    const db = getDb();
    let suspension: Promise<{ status: number }> | undefined;
    let like: Promise<{ status: number; body: any }> | undefined;
    await db.transaction().execute(async (trx) => {
      // The suspension stops at the liked video's row, holding the account's row.
      await sql`SELECT id FROM videos WHERE id = ${first} FOR UPDATE`.execute(trx);
      const holder = await backendPid(trx);
      suspension = moderate(staff, 'suspend', bad!.id);
      const suspending = await waiterOf(db, holder, 'the suspension');
      // The like passed its session check (the sessions end with the suspension's commit).
      like = as(bad!)('POST', `/v1/likes/videos/${second}`);
      await untilBlockedBy(db, suspending, 'the like');
    });
    expect((await suspension!).status).toBe(200);
    const refused = await like!;
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_suspended');
    expect(await likeCount(first!)).toBe(0);
    expect(await likeCount(second!)).toBe(0);
    const rows = await db.selectFrom('likes').select('video_id').where('user_id', '=', bad!.id).execute();
    expect(rows.map((r) => r.video_id)).toEqual([first]);
  });

  it('an account deleted as its suspension commits is purged without taking its likes and follows out twice', async () => {
    const staff = await moderator();
    const [owner] = await people(1);
    const leaving = await registerUser(api);
    invariants.track(leaving.id);
    const [video] = await seedReadyVideos(owner!.id, 1);
    await ok(as(leaving)('POST', `/v1/likes/videos/${video}`));
    await ok(as(leaving)('POST', `/v1/follows/users/${owner!.id}`));
    await ok(as(owner!)('POST', `/v1/follows/users/${leaving.id}`));
    const db = getDb();
    let suspension: Promise<{ status: number }> | undefined;
    let deletion: Promise<{ status: number; text: string }> | undefined;
    await db.transaction().execute(async (trx) => {
      await sql`SELECT id FROM videos WHERE id = ${video} FOR UPDATE`.execute(trx);
      const holder = await backendPid(trx);
      suspension = moderate(staff, 'suspend', leaving.id);
      const suspending = await waiterOf(db, holder, 'the suspension');
      deletion = api.request('DELETE', '/v1/account', {
        token: leaving.accessToken,
        body: { password: leaving.password },
      });
      await untilBlockedBy(db, suspending, 'the deletion');
    });
    expect((await suspension!).status).toBe(200);
    const deleted = await deletion!;
    expect(deleted.status, deleted.text).toBeLessThan(300);
    await accounts.settle();
    const purged = await db
      .selectFrom('users')
      .select(['purged_at', 'suspended_at'])
      .where('id', '=', leaving.id)
      .executeTakeFirstOrThrow();
    expect(purged.purged_at).not.toBeNull();
    expect(purged.suspended_at).not.toBeNull();
    expect(
      await db.selectFrom('likes').select('video_id').where('user_id', '=', leaving.id).execute(),
    ).toEqual([]);
    expect(await likeCount(video!)).toBe(0);
    expect(await counts(owner!.id)).toEqual({ follower_count: 0, following_count: 0 });
  });
});
