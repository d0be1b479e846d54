import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { useLocalAccounts } from '../harness/accounts-stack.ts';
import { startGlitch } from '../harness/ai.ts';
import { useLocalAi } from '../harness/ai-stack.ts';
import { linkGlitchTo } from '../harness/consistent-writes.ts';
import { registerUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { backendPid, untilBlockedBy, waiterOf } from '../harness/locks.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { useInvariants } from '../reliability/harness.ts';
import { createUser, type QuickUser } from '../social/fixtures.ts';

// A suspended account's likes and follows stop counting on others (a spam ring's fake likes and
// followers go with it) and count again when the suspension is lifted.
const media = useLocalMedia();
const api = useApi();
const accounts = useLocalAccounts();
const ai = useLocalAi(api, media);
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

async function videoCounter(videoId: string, counter: 'like_count' | 'comment_count' | 'glitch_count') {
  const row = await getDb()
    .selectFrom('videos')
    .select(counter)
    .where('id', '=', videoId)
    .executeTakeFirstOrThrow();
  return (row as Record<typeof counter, number>)[counter];
}
const likeCount = (videoId: string) => videoCounter(videoId, 'like_count');
const commentCount = (videoId: string) => videoCounter(videoId, 'comment_count');
const glitchCount = (videoId: string) => videoCounter(videoId, 'glitch_count');

/**
 * A suspension held at `videoId`'s row (another transaction holds it), so it holds the account's
 * row meanwhile; `request` starts then, and both go on once it waits on the suspension.
 */
async function duringSuspension<T>(
  staff: QuickUser,
  userId: string,
  videoId: string,
  what: string,
  request: () => Promise<T>,
): Promise<[{ status: number }, T]> {
  const db = getDb();
  let both: Promise<[{ status: number }, T]> | undefined;
  await db.transaction().execute(async (trx) => {
    await sql`SELECT id FROM videos WHERE id = ${videoId} FOR UPDATE`.execute(trx);
    const holder = await backendPid(trx);
    const suspension = moderate(staff, 'suspend', userId);
    const suspending = await waiterOf(db, holder, 'the suspension');
    both = Promise.all([suspension, request()]);
    await untilBlockedBy(db, suspending, what);
  });
  return both!;
}

async function comment(user: QuickUser | { accessToken: string }, videoId: string, parentId?: string) {
  const res = await as(user)('POST', `/v1/comments/videos/${videoId}`, {
    body: 'hello',
    ...(parentId ? { parent_id: parentId } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function replyCounts(...ids: string[]) {
  const rows = await getDb()
    .selectFrom('comments')
    .select(['id', 'reply_count'])
    .where('id', 'in', ids)
    .execute();
  return ids.map((id) => rows.find((r) => r.id === id)!.reply_count);
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
    // The like passed its session check (the sessions end with the suspension's commit).
    const [suspension, refused] = await duringSuspension(staff, bad!.id, first!, 'the like', () =>
      as(bad!)('POST', `/v1/likes/videos/${second}`),
    );
    expect(suspension.status).toBe(200);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_suspended');
    expect(await likeCount(first!)).toBe(0);
    expect(await likeCount(second!)).toBe(0);
    const rows = await getDb()
      .selectFrom('likes')
      .select('video_id')
      .where('user_id', '=', bad!.id)
      .execute();
    expect(rows.map((r) => r.video_id)).toEqual([first]);
  });

  it('an account deleted as its suspension commits is purged without taking its likes, follows, comments and glitches out twice', async () => {
    const staff = await moderator();
    const [owner] = await people(1);
    const leaving = await registerUser(api);
    invariants.track(leaving.id);
    const [video] = await seedReadyVideos(owner!.id, 1);
    await ok(as(leaving)('POST', `/v1/likes/videos/${video}`));
    await ok(as(leaving)('POST', `/v1/follows/users/${owner!.id}`));
    await ok(as(owner!)('POST', `/v1/follows/users/${leaving.id}`));
    const ownerThread = await comment(owner!, video!);
    await comment(leaving, video!, ownerThread);
    await comment(leaving, video!);
    expect(await commentCount(video!)).toBe(3);
    const [leavingGlitch] = await seedReadyVideos(leaving.id, 1);
    await linkGlitchTo(leavingGlitch!, video!);
    const [suspension, deleted] = await duringSuspension(staff, leaving.id, video!, 'the deletion', () =>
      api.request('DELETE', '/v1/account', {
        token: leaving.accessToken,
        body: { password: leaving.password },
      }),
    );
    expect(suspension.status).toBe(200);
    expect(deleted.status, deleted.text).toBeLessThan(300);
    await accounts.settle();
    const db = getDb();
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
    expect(await commentCount(video!)).toBe(1);
    expect(await replyCounts(ownerThread)).toEqual([0]);
    expect(await glitchCount(video!)).toBe(0);
  });
});

describe("a suspended account's comments", () => {
  it('leave the counts with the threads under them, stay out while others delete or moderate, and come back', async () => {
    const staff = await moderator();
    const [owner, fan, friend, bad] = await people(4);
    const [video] = await seedReadyVideos(owner!.id, 1);
    const badThread = await comment(bad!, video!);
    const fanUnderBad = await comment(fan!, video!, badThread);
    const badUnderOwn = await comment(bad!, video!, badThread);
    const friendThread = await comment(friend!, video!);
    const badUnderFriend = await comment(bad!, video!, friendThread);
    await comment(fan!, video!, friendThread);
    expect(await commentCount(video!)).toBe(6);
    expect(await replyCounts(badThread, friendThread)).toEqual([2, 2]);

    expect((await moderate(staff, 'suspend', bad!.id)).status).toBe(200);
    // Left: the friend's thread with the fan's reply. The bad thread hides the fan's reply too.
    expect(await commentCount(video!)).toBe(2);
    expect(await replyCounts(badThread, friendThread)).toEqual([1, 1]);
    const list = await api.request('GET', `/v1/comments/videos/${video}`);
    expect(list.body.items.map((c: { id: string; reply_count: number }) => [c.id, c.reply_count])).toEqual([
      [friendThread, 1],
    ]);
    expect((await api.request('GET', `/v1/comments/${badThread}/replies`)).status).toBe(404);
    // Nobody answers a hidden thread.
    const reply = await as(fan!)('POST', `/v1/comments/videos/${video}`, {
      body: 'hi',
      parent_id: badThread,
    });
    expect(reply.status).toBe(404);

    // Meanwhile: the owner deletes the suspended account's reply, the fan their own under its
    // thread, a moderator takes down its reply under its own thread. Nothing is uncounted twice.
    expect((await as(owner!)('DELETE', `/v1/comments/${badUnderFriend}`)).status).toBeLessThan(300);
    expect((await as(fan!)('DELETE', `/v1/comments/${fanUnderBad}`)).status).toBeLessThan(300);
    const takedown = await as(staff)('POST', `/v1/moderation/comments/${badUnderOwn}/take-down`, {
      reason: 'spam',
    });
    expect(takedown.status, takedown.text).toBe(200);
    expect(await commentCount(video!)).toBe(2);
    expect(await replyCounts(badThread, friendThread)).toEqual([0, 1]);

    expect((await moderate(staff, 'unsuspend', bad!.id)).status).toBe(200);
    // Its thread shows again (its reply stays taken down); the friend's thread as it was left.
    expect(await commentCount(video!)).toBe(3);
    expect(await replyCounts(badThread, friendThread)).toEqual([0, 1]);
    expect((await api.request('GET', `/v1/comments/${badThread}/replies`)).status).toBe(200);
  });
});

describe("a suspended account's glitches", () => {
  it("leave their source's glitch_count, one finished while suspended is on no count, and they come back", async () => {
    const staff = await moderator();
    const [creator, remixer] = [await registerUser(api), await registerUser(api)];
    const [fan] = await people(1);
    invariants.track(creator.id, remixer.id);
    const jobId = await startGlitch(api, media, creator, remixer);
    const { source_video_id: source } = await getDb()
      .selectFrom('ai_jobs')
      .select('source_video_id')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    const [fanGlitch] = await seedReadyVideos(fan!.id, 1);
    const [earlierGlitch] = await seedReadyVideos(remixer.id, 1);
    await linkGlitchTo(fanGlitch!, source!);
    await linkGlitchTo(earlierGlitch!, source!);
    expect(await glitchCount(source!)).toBe(2);
    // The remixer is suspended while the model runs: their earlier glitch leaves the count, and
    // the new one is made and linked but not counted.
    expect((await moderate(staff, 'suspend', remixer.id)).status).toBe(200);
    expect(await glitchCount(source!)).toBe(1);
    await ai.settle();
    const job = await getDb()
      .selectFrom('ai_jobs')
      .select(['status', 'result_video_id'])
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('succeeded');
    const link = await getDb()
      .selectFrom('video_glitches')
      .select('source_video_id')
      .where('glitch_video_id', '=', job.result_video_id!)
      .executeTakeFirst();
    expect(link?.source_video_id).toBe(source);
    expect(await glitchCount(source!)).toBe(1);

    expect((await moderate(staff, 'unsuspend', remixer.id)).status).toBe(200);
    expect(await glitchCount(source!)).toBe(3);
    expect((await moderate(staff, 'suspend', remixer.id)).status).toBe(200);
    expect(await glitchCount(source!)).toBe(1);
    // The source's owner detaches a suspended remixer's glitch: nothing to take off again.
    const detached = await as(creator)('DELETE', `/v1/glitch/videos/${source}/glitches/${earlierGlitch}`);
    expect(detached.status, detached.text).toBeLessThan(300);
    expect(await glitchCount(source!)).toBe(1);
    expect((await moderate(staff, 'unsuspend', remixer.id)).status).toBe(200);
    expect(await glitchCount(source!)).toBe(2);
  });

  it('a glitch its maker deletes as the suspension commits is taken off its source once', async () => {
    const staff = await moderator();
    const [owner, fan, bad] = await people(3);
    const [source] = await seedReadyVideos(owner!.id, 1);
    const [fanGlitch] = await seedReadyVideos(fan!.id, 1);
    const [badGlitch] = await seedReadyVideos(bad!.id, 1);
    await linkGlitchTo(fanGlitch!, source!);
    await linkGlitchTo(badGlitch!, source!);
    expect(await glitchCount(source!)).toBe(2);
    // The suspension stops at the source's row; the deletion passed its session check.
    const [suspension, deleted] = await duringSuspension(staff, bad!.id, source!, 'the deletion', () =>
      as(bad!)('DELETE', `/v1/videos/${badGlitch}`),
    );
    expect(suspension.status).toBe(200);
    expect(deleted.status).toBeLessThan(300);
    expect(await glitchCount(source!)).toBe(1);
  });
});
