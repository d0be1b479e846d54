import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { purgeCommentsBy } from '../../shared/comments/repository.ts';
import { getDb } from '../../shared/db/client.ts';
import { useApi } from '../harness/http.ts';
import { backendPid, untilBlockedBy } from '../harness/locks.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { createUser, createUsers, followCounts, notificationsOf, videoCounts } from './fixtures.ts';

/**
 * Counters are only moved by statements that really inserted or deleted a row, in the same
 * transaction; these runs check them against the rows after real concurrent requests.
 */
const api = useApi();

describe('concurrent likes', () => {
  it('100 distinct users liking one video at once give like_count 100', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const fans = await createUsers(100);
    const results = await Promise.all(
      fans.map((f) => api.request('POST', `/v1/likes/videos/${video}`, { token: f.accessToken })),
    );
    expect(results.map((r) => r.status)).toEqual(fans.map(() => 200));
    expect(await videoCounts(video!)).toMatchObject({ like_count: 100, likes_rows: 100 });
    // One notification per fan, none lost or doubled.
    expect(await notificationsOf(owner.id)).toHaveLength(100);
  });

  it('20 concurrent like/unlike toggles by one user leave the count equal to the table', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const others = await createUsers(3);
    for (const o of others) await api.request('POST', `/v1/likes/videos/${video}`, { token: o.accessToken });
    const fan = await createUser();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          api.request(i % 2 ? 'DELETE' : 'POST', `/v1/likes/videos/${video}`, { token: fan.accessToken }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      const counts = await videoCounts(video!);
      expect(counts.like_count).toBe(counts.likes_rows);
      expect([3, 4]).toContain(counts.like_count);
      const unreadFromFan = (await notificationsOf(owner.id)).filter(
        (n) => n.actor_id === fan.id && n.read_at === null,
      );
      expect(unreadFromFan.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('concurrent follows', () => {
  it('50 followers at once give follower_count 50; toggles by one follower stay consistent', async () => {
    const star = await createUser();
    const fans = await createUsers(50);
    const results = await Promise.all(
      fans.map((f) => api.request('POST', `/v1/follows/users/${star.id}`, { token: f.accessToken })),
    );
    expect(results.map((r) => r.status)).toEqual(fans.map(() => 200));
    expect(await followCounts(star.id)).toMatchObject({ follower_count: 50, follower_rows: 50 });
    for (const f of fans.slice(0, 3)) {
      expect(await followCounts(f.id)).toMatchObject({ following_count: 1, following_rows: 1 });
    }

    const toggler = fans[0]!;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.request(i % 2 ? 'POST' : 'DELETE', `/v1/follows/users/${star.id}`, {
          token: toggler.accessToken,
        }),
      ),
    );
    const star2 = await followCounts(star.id);
    expect(star2.follower_count).toBe(star2.follower_rows);
    const t = await followCounts(toggler.id);
    expect(t.following_count).toBe(t.following_rows);
  });

  it('people following each other at the same moment do not deadlock', async () => {
    const people = await createUsers(8);
    const requests = people.flatMap((a) =>
      people
        .filter((b) => b.id !== a.id)
        .map((b) => api.request('POST', `/v1/follows/users/${b.id}`, { token: a.accessToken })),
    );
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.status !== 200).map((r) => r.text)).toEqual([]);
    for (const p of people) {
      expect(await followCounts(p.id)).toMatchObject({
        follower_count: 7,
        follower_rows: 7,
        following_count: 7,
        following_rows: 7,
      });
    }
  });
});

describe('concurrent comments', () => {
  it('counts every comment and reply once, and deletes them once, whatever the interleaving', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const people = await createUsers(20);
    const posted = await Promise.all(
      people.map((p, i) =>
        api.request('POST', `/v1/comments/videos/${video}`, {
          token: p.accessToken,
          body: { body: `comment ${i}` },
        }),
      ),
    );
    expect(posted.map((r) => r.status)).toEqual(people.map(() => 201));
    expect(await videoCounts(video!)).toMatchObject({ comment_count: 20, comment_rows: 20 });

    // Replies to one thread race with its deletion and with deleting a reply twice.
    const thread = posted[0]!.body.id as string;
    const threadAuthor = people[0]!;
    const firstReply = await api.request('POST', `/v1/comments/videos/${video}`, {
      token: people[1]!.accessToken,
      body: { body: 'first reply', parent_id: thread },
    });
    const racing = await Promise.all([
      ...people.slice(2, 12).map((p) =>
        api.request('POST', `/v1/comments/videos/${video}`, {
          token: p.accessToken,
          body: { body: 'racing reply', parent_id: thread },
        }),
      ),
      api.request('DELETE', `/v1/comments/${firstReply.body.id}`, { token: people[1]!.accessToken }),
      api.request('DELETE', `/v1/comments/${firstReply.body.id}`, { token: people[1]!.accessToken }),
      api.request('DELETE', `/v1/comments/${thread}`, { token: threadAuthor.accessToken }),
    ]);
    for (const r of racing) expect([201, 204, 404]).toContain(r.status);
    const deletes = racing.slice(10, 12).map((r) => r.status);
    expect(deletes.filter((s) => s === 204).length).toBeLessThanOrEqual(1);

    const counts = await videoCounts(video!);
    expect(counts.comment_count).toBe(counts.comment_rows);
    // No live reply may hang under a deleted thread.
    const orphans = await getDb()
      .selectFrom('comments as r')
      .innerJoin('comments as p', 'p.id', 'r.parent_id')
      .select('r.id')
      .where('r.video_id', '=', video!)
      .where('r.deleted_at', 'is', null)
      .where('p.deleted_at', 'is not', null)
      .execute();
    expect(orphans).toEqual([]);
  });
});

describe('lock order of comment threads', () => {
  it("an account's comment purge never holds a reply while it waits for the reply's thread", async () => {
    // Replying, deleting and moderating lock a thread's top-level comment before its replies. A
    // purge that locked the account's reply first and then its parent would deadlock with them.
    const owner = await createUser();
    const leaving = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const post = async (who: { accessToken: string }, body: string, parent_id?: string) => {
      const res = await api.request('POST', `/v1/comments/videos/${video}`, {
        token: who.accessToken,
        body: { body, ...(parent_id ? { parent_id } : {}) },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const thread = await post(owner, 'top');
    const reply = await post(leaving, 'a reply', thread);

    const db = getDb();
    let purge: Promise<number> | undefined;
    await db.transaction().execute(async (trx) => {
      // Another transaction holds the thread, as deleting it does before it reaches the replies.
      await sql`SELECT id FROM comments WHERE id = ${thread} FOR UPDATE`.execute(trx);
      const holder = await backendPid(trx);
      purge = db.transaction().execute((purging) => purgeCommentsBy(purging, leaving.id, 100, true));
      // Until the purge waits on that lock.
      await untilBlockedBy(db, holder, 'the purge', 200);
      // The reply is not held meanwhile: the thread's holder can take it at once.
      await sql`SELECT id FROM comments WHERE id = ${reply} FOR UPDATE NOWAIT`.execute(trx);
    });
    expect(await purge).toBe(1);
    const counts = await videoCounts(video!);
    expect(counts.comment_count).toBe(1);
  });
});
