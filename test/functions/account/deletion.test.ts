import type { Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as deletionWorker } from '../../../functions/workers/account-deletion.ts';
import { purgeHooks } from '../../../shared/accounts/purge.ts';
import { DELETION_QUEUE_ENV, EXPORT_QUEUE_ENV } from '../../../shared/accounts/queues.ts';
import { setCommentTakedown } from '../../../shared/comments/service.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { getDb } from '../../../shared/db/client.ts';
import { linkGlitch } from '../../../shared/glitch/repository.ts';
import { LocalQueue } from '../../../shared/local/sqs.ts';
import { localInvalidations } from '../../../shared/storage/cdn.ts';
import { headObject } from '../../../shared/storage/s3.ts';
import { ledgerMatchesBalance, testJpeg, uploadCharacterImage } from '../../harness/ai.ts';
import { uploadAvatar } from '../../harness/avatars.ts';
import { sampleEvent } from '../../harness/events.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { checkInvariants, formatViolations } from '../../reliability/invariants.ts';

const api = useApi();
const media = useLocalMedia();

// The deletion queue, held: the test hands its messages to the worker itself, to stop it halfway.
const sent: string[] = [];
beforeAll(() => {
  const queue = new LocalQueue({ name: 'held-deletions', handler: async () => undefined });
  queue.send = (body: string) => void sent.push(body);
  process.env[DELETION_QUEUE_ENV] = queue.url;
  process.env[EXPORT_QUEUE_ENV] = queue.url;
  resetEnvCache();
});
afterEach(() => {
  purgeHooks.afterStep = undefined;
});

function sqsEvent(body: string, receiveCount = 1): SQSEvent {
  const [record] = sampleEvent<SQSEvent>('sqs-batch.json').Records;
  return {
    Records: [
      {
        ...record!,
        body,
        messageId: crypto.randomUUID(),
        attributes: { ...record!.attributes, ApproximateReceiveCount: String(receiveCount) },
      },
    ],
  };
}
const context = { functionName: 'lokiz-account-deletion', awsRequestId: 'test' } as Context;

async function act(user: TestUser, method: string, path: string, body?: unknown) {
  const res = await api.request(method, path, { token: user.accessToken, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

const count = async (
  table: 'likes' | 'follows' | 'notifications' | 'refresh_tokens' | 'media_assets' | 'ai_jobs',
  where: (eb: any) => any,
) =>
  Number(
    (
      await getDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(where)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('DELETE /v1/account → deletion worker', () => {
  it('hides the account at once; the worker, killed halfway and run again, leaves nothing behind', async () => {
    const [victim, alice, bob] = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const clip = await makeTestVideo({ seconds: 2, width: 320, height: 240 });
    const victimVideo = await uploadVideo(api, media, victim, clip, { caption: 'my #private life' });
    const [victimSeeded] = await seedReadyVideos(victim.id, 1);
    const [aliceVideo, aliceGlitch] = await seedReadyVideos(alice.id, 2);
    const [bobVideo] = await seedReadyVideos(bob.id, 1);
    const [victimGlitch] = await seedReadyVideos(victim.id, 1);
    await getDb()
      .transaction()
      .execute(async (trx) => {
        // Alice made a glitch of the victim's video; the victim made one of Alice's.
        await linkGlitch(trx, {
          glitchVideoId: aliceGlitch!,
          sourceVideoId: victimVideo,
          kind: 'animate',
          counted: true,
        });
        await linkGlitch(trx, {
          glitchVideoId: victimGlitch!,
          sourceVideoId: aliceVideo!,
          kind: 'replace',
          counted: true,
        });
      });
    await uploadCharacterImage(api, victim);
    await uploadAvatar(api, media, victim.accessToken, await testJpeg());
    // What the media pipeline made of the upload (a revision under media/, the kept original) and
    // the avatar (under media/avatars/): public at the CDN until the purge.
    const made = await getDb()
      .selectFrom('videos')
      .select(['playback_key', 'poster_key', 'preview_key', 'original_key'])
      .where('id', '=', victimVideo)
      .executeTakeFirstOrThrow();
    const { avatar_key: avatarKey } = await getDb()
      .selectFrom('users')
      .select('avatar_key')
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    const victimObjects = [...Object.values(made), avatarKey].map(String);
    for (const key of victimObjects) expect(await headObject(key), key).not.toBeNull();
    expect(victimObjects.filter((k) => k.startsWith('media/'))).toHaveLength(4);

    await act(victim, 'POST', `/v1/likes/videos/${aliceVideo}`);
    await act(alice, 'POST', `/v1/likes/videos/${victimVideo}`);
    await act(victim, 'POST', `/v1/follows/users/${alice.id}`);
    await act(victim, 'POST', `/v1/follows/users/${bob.id}`);
    await act(alice, 'POST', `/v1/follows/users/${victim.id}`);
    const aliceComment = await act(alice, 'POST', `/v1/comments/videos/${aliceVideo}`, { body: 'mine' });
    await act(victim, 'POST', `/v1/comments/videos/${aliceVideo}`, {
      body: 'a reply',
      parent_id: aliceComment.id,
    });
    const answered = await act(victim, 'POST', `/v1/comments/videos/${aliceVideo}`, {
      body: 'answered by bob',
    });
    await act(bob, 'POST', `/v1/comments/videos/${aliceVideo}`, {
      body: 'bob answers',
      parent_id: answered.id,
    });
    await act(victim, 'POST', `/v1/comments/videos/${bobVideo}`, { body: 'nobody answers' });
    // Taken down by a moderator: a reply of the victim's, and a thread the victim answered in.
    // Counters leave both out, so the purge must not take them off a second time.
    const takenDown = await act(victim, 'POST', `/v1/comments/videos/${aliceVideo}`, {
      body: 'spam reply',
      parent_id: aliceComment.id,
    });
    const bobThread = await act(bob, 'POST', `/v1/comments/videos/${aliceVideo}`, { body: 'bob starts' });
    await act(victim, 'POST', `/v1/comments/videos/${aliceVideo}`, {
      body: 'victim answers bob',
      parent_id: bobThread.id,
    });
    for (const id of [takenDown.id, bobThread.id]) {
      await getDb()
        .transaction()
        .execute((trx) => setCommentTakedown(trx, id, 'Spam'));
    }
    const scope = [victim.id, alice.id, bob.id];
    expect(formatViolations(await checkInvariants(getDb(), { userIds: scope }))).toBe(
      'no invariant violations',
    );

    const wrong = await api.request('DELETE', '/v1/account', {
      token: victim.accessToken,
      body: { password: 'not-it-at-all' },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_password']);
    const res = await api.request('DELETE', '/v1/account', {
      token: victim.accessToken,
      body: { password: victim.password },
    });
    expect([res.status, res.body]).toEqual([202, { status: 'deletion_scheduled' }]);
    expect(sent).toEqual([JSON.stringify({ user_id: victim.id })]);

    // At once: signed out everywhere, invisible, its videos gone, email and username free again.
    expect((await api.request('GET', '/v1/auth/me', { token: victim.accessToken })).status).toBe(401);
    expect(
      (await api.request('POST', '/v1/auth/refresh', { body: { refresh_token: victim.refreshToken } }))
        .status,
    ).toBe(401);
    expect((await api.request('GET', `/v1/users/${victim.id}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/usernames/${victim.username}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/videos/${victimVideo}`)).status).toBe(404);
    const followers = await api.request('GET', `/v1/follows/users/${alice.id}/followers`);
    expect(followers.body.items.map((u: { id: string }) => u.id)).not.toContain(victim.id);
    expect(
      (
        await api.request('POST', '/v1/auth/login', {
          body: { email: victim.email, password: victim.password },
        })
      ).status,
    ).toBe(401);
    expect(formatViolations(await checkInvariants(getDb(), { userIds: scope }))).toBe(
      'no invariant violations',
    );

    // The worker dies after a few steps (a crash, a timeout) …
    let steps = 0;
    purgeHooks.afterStep = () => {
      if (++steps === 4) throw new Error('injected fault: worker killed');
    };
    // (A batch whose every record failed is thrown, so SQS retries it whole.)
    await expect(deletionWorker(sqsEvent(sent[0]!), context)).rejects.toThrow(/All records failed/);
    // … halfway: some of it is gone, the rest not yet, and every count is still exact.
    expect(await count('likes', (eb) => eb('user_id', '=', victim.id))).toBe(0);
    expect(await count('media_assets', (eb) => eb('owner_id', '=', victim.id))).toBe(1);
    expect(formatViolations(await checkInvariants(getDb(), { userIds: scope }))).toBe(
      'no invariant violations',
    );

    // … and the queue's redelivery finishes the job; a duplicate delivery changes nothing.
    purgeHooks.afterStep = undefined;
    expect((await deletionWorker(sqsEvent(sent[0]!, 2), context)).batchItemFailures).toEqual([]);
    expect((await deletionWorker(sqsEvent(sent[0]!, 3), context)).batchItemFailures).toEqual([]);

    // Nothing left behind.
    expect(await count('likes', (eb) => eb('user_id', '=', victim.id))).toBe(0);
    expect(
      await count('follows', (eb) =>
        eb.or([eb('follower_id', '=', victim.id), eb('followee_id', '=', victim.id)]),
      ),
    ).toBe(0);
    expect(
      await count('notifications', (eb) =>
        eb.or([eb('recipient_id', '=', victim.id), eb('actor_id', '=', victim.id)]),
      ),
    ).toBe(0);
    expect(await count('refresh_tokens', (eb) => eb('user_id', '=', victim.id))).toBe(0);
    expect(await count('media_assets', (eb) => eb('owner_id', '=', victim.id))).toBe(0);
    expect(await count('ai_jobs', (eb) => eb('user_id', '=', victim.id))).toBe(0);
    const comments = await getDb()
      .selectFrom('comments')
      .select(['id', 'body', 'redacted_at'])
      .where('author_id', '=', victim.id)
      .execute();
    // Only the comment Bob answered stays, as a placeholder.
    expect(comments.map((c) => [c.id, c.body, c.redacted_at !== null])).toEqual([
      [answered.id, '[deleted]', true],
    ]);
    const thread = await api.request('GET', `/v1/comments/videos/${aliceVideo}`);
    const placeholder = thread.body.items.find((c: { id: string }) => c.id === answered.id);
    expect(placeholder).toMatchObject({ author: null, body: '', deleted: true, reply_count: 1 });
    const videos = await getDb()
      .selectFrom('videos')
      .select(['id', 'caption', 'deleted_at'])
      .where('owner_id', '=', victim.id)
      .execute();
    // Only the video Alice's glitch was made from stays, as an empty tombstone.
    expect(videos.map((v) => [v.id, v.caption, v.deleted_at !== null])).toEqual([[victimVideo, '', true]]);
    expect(
      await getDb()
        .selectFrom('videos')
        .select('id')
        .where('id', 'in', [victimSeeded!, victimGlitch!])
        .execute(),
    ).toEqual([]);
    // Every object of its videos (removeVideoMedia) and its avatar is gone, and the CDN forgot them.
    for (const key of victimObjects) expect(await headObject(key), key).toBeNull();
    expect(localInvalidations()).toContainEqual([`/media/${victimVideo}/*`]);
    expect(localInvalidations()).toContainEqual([`/media/avatars/${victim.id}/*`]);

    // Alice's glitch still plays, its source shown as unavailable; counts exact everywhere.
    const glitch = await api.request('GET', `/v1/videos/${aliceGlitch}`);
    expect(glitch.status).toBe(200);
    expect(glitch.body.glitch_of).toEqual({ video_id: victimVideo, kind: 'animate', available: false });
    const alicesVideo = await api.request('GET', `/v1/videos/${aliceVideo}`);
    expect(alicesVideo.body).toMatchObject({ like_count: 0, glitch_count: 0, comment_count: 3 });
    const aliceNow = await api.request('GET', `/v1/users/${alice.id}`);
    expect(aliceNow.body).toMatchObject({ follower_count: 0, following_count: 0 });
    expect((await api.request('GET', `/v1/users/${bob.id}`)).body.follower_count).toBe(0);
    expect(formatViolations(await checkInvariants(getDb(), { userIds: scope }))).toBe(
      'no invariant violations',
    );

    // The ledger stays, anonymised: its rows sum to the closed (zero) balance.
    const tombstone = await getDb()
      .selectFrom('users')
      .selectAll()
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    expect(tombstone).toMatchObject({
      display_name: 'Deleted account',
      bio: '',
      password_hash: '',
      credits: 0,
      avatar_key: null,
    });
    expect(tombstone.email).not.toContain('@');
    expect(tombstone.purged_at).not.toBeNull();
    expect(await ledgerMatchesBalance(victim.id)).toEqual({ balance: 0, ledger: 0 });
    const ledger = await getDb()
      .selectFrom('credit_ledger')
      .select(['reason', 'amount'])
      .where('user_id', '=', victim.id)
      .orderBy('id')
      .execute();
    expect(ledger).toEqual([
      { reason: 'signup_bonus', amount: 100 },
      { reason: 'account_closed', amount: -100 },
    ]);

    // The email and the username are free for a new sign-up.
    const again = await api.request('POST', '/v1/auth/register', {
      body: { email: victim.email, username: victim.username, password: 'a-whole-new-life-1' },
    });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(victim.id);
    expect((await api.request('GET', `/v1/auth/me`, { token: again.body.access_token })).body.username).toBe(
      victim.username,
    );
  }, 60_000);

  it('ignores a message for an account that is not deleted', async () => {
    const user = await registerUser(api);
    const out = await deletionWorker(sqsEvent(JSON.stringify({ user_id: user.id })), context);
    expect(out.batchItemFailures).toEqual([]);
    expect((await api.request('GET', '/v1/auth/me', { token: user.accessToken })).status).toBe(200);
    await expect(deletionWorker(sqsEvent('{"user_id":"nope"}'), context)).rejects.toThrow(
      /All records failed/,
    );
  });
});

describe('a lost deletion message', () => {
  it('is sent again by the reconciler, and the purge then finishes', async () => {
    const user = await registerUser(api);
    const before = sent.length;
    const res = await api.request('DELETE', '/v1/account', {
      token: user.accessToken,
      body: { password: user.password },
    });
    expect(res.status).toBe(202);
    // The message "was lost": forget it, and let the account sit past the stall threshold.
    sent.splice(before);
    await sql`UPDATE users SET deleted_at = now() - interval '20 minutes' WHERE id = ${user.id}`.execute(
      getDb(),
    );
    const { handler: reconciler } = await import('../../../functions/workers/reconciler.ts');
    await reconciler({} as ScheduledEvent);
    const resent = sent.slice(before).filter((b) => b === JSON.stringify({ user_id: user.id }));
    expect(resent).toHaveLength(1);
    expect((await deletionWorker(sqsEvent(resent[0]!), context)).batchItemFailures).toEqual([]);
    const row = await getDb()
      .selectFrom('users')
      .select('purged_at')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.purged_at).not.toBeNull();
  });
});
