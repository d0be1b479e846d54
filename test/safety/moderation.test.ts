import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { recountAfterTakedowns } from '../../shared/db/migrations/20261130T1800_comment_counts_follow_takedowns.ts';
import { localInvalidations } from '../../shared/storage/cdn.ts';
import { headObject, uploadBytes } from '../../shared/storage/s3.ts';
import { mediaVisibility } from '../../shared/videos/media.ts';
import {
  claimVideoForProcessing,
  markVideoReady,
  type ProcessedMedia,
} from '../../shared/videos/repository.ts';
import { postComments } from '../harness/consistent-writes.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { lastMailTo } from '../harness/mail.ts';
import { makeTestVideo } from '../harness/media.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { seedReadyVideos } from '../harness/seed.ts';
import { putToUploadUrl, uploadVideo } from '../harness/videos.ts';
import { useInvariants } from '../reliability/harness.ts';
import { createUser, type QuickUser } from '../social/fixtures.ts';

const media = useLocalMedia();
const api = useApi();
const invariants = useInvariants();
const run = promisify(execFile);

/** The CLI exactly as `npm run admin -- …` runs it (against the test database). */
function adminCli(...args: string[]) {
  return run('node_modules/.bin/tsx', ['shared/moderation/admin-cli.ts', ...args], { env: process.env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
}

async function signIn(u: TestUser): Promise<string> {
  const res = await api.request('POST', '/v1/auth/login', { body: { email: u.email, password: u.password } });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

let moderator: TestUser;
let modToken: string;

beforeAll(async () => {
  moderator = await registerUser(api);
  invariants.track(moderator.id);
  const granted = await adminCli('grant', moderator.email, '--role', 'moderator');
  expect(granted.code, granted.stderr).toBe(0);
  modToken = await signIn(moderator);
}, 60_000);

const as = (token: string) => ({ token });
const mod = (method: 'GET' | 'POST', path: string, body?: unknown) =>
  api.request(method, path, { token: modToken, ...(body ? { body } : {}) });

describe('roles and the admin CLI', () => {
  it('grants a role by e-mail (audited), carries it in the token, and refuses bad usage and unknown accounts', async () => {
    const row = await getDb()
      .selectFrom('users')
      .select('role')
      .where('id', '=', moderator.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('moderator');
    expect(decodeJwt(modToken).role).toBe('moderator');
    const audit = await getDb()
      .selectFrom('moderation_actions')
      .selectAll()
      .where('target_id', '=', moderator.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['grant_role']);
    expect((await adminCli('grant', 'nobody-here@example.test')).code).toBe(1);
    expect((await adminCli('promote', moderator.email)).code).toBe(2);
    expect((await adminCli('grant', moderator.email, '--role', 'god')).code).toBe(2);
  }, 60_000);

  it('moderation writes re-check the role in the database: a demoted token still saying moderator is refused', async () => {
    const former = await registerUser(api);
    expect((await adminCli('grant', former.email, '--role', 'moderator')).code).toBe(0);
    const token = await signIn(former);
    const target = await createUser();
    expect((await api.request('GET', '/v1/moderation/queue', as(token))).status).toBe(200);
    expect((await adminCli('grant', former.email, '--role', 'user')).code).toBe(0);
    expect(decodeJwt(token).role).toBe('moderator');
    const res = await api.request('POST', `/v1/moderation/users/${target.id}/suspend`, {
      ...as(token),
      body: { reason: 'not anymore' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('not_moderator');
    expect((await api.request('GET', '/v1/moderation/queue', as(token))).status).toBe(403);
  }, 60_000);
});

describe('the moderation queue', () => {
  it('groups open reports by target, newest first or most-reported first, and pages through them', async () => {
    const owner = await createUser();
    const reporters = [await createUser(), await createUser(), await createUser()];
    const [v1, v2] = await seedReadyVideos(owner.id, 2);
    const report = (r: QuickUser, id: string, reason: string) =>
      api.request('POST', '/v1/reports', {
        token: r.accessToken,
        body: { target_type: 'video', target_id: id, reason },
      });
    // v1: three reports, older; v2: one report, the newest.
    for (const r of reporters) await report(r, v1!, 'spam');
    await report(reporters[0]!, v2!, 'nudity');
    await getDb()
      .updateTable('reports')
      .set({ created_at: sql`created_at - interval '1 day'` })
      .where('target_id', '=', v1!)
      .execute();

    const mine = (items: { target_id: string }[]) =>
      items.filter((i) => ([v1, v2] as string[]).includes(i.target_id));
    const newest = await mod('GET', '/v1/moderation/queue?limit=50');
    expect(newest.status, newest.text).toBe(200);
    expect(mine(newest.body.items).map((i: { target_id: string }) => i.target_id)).toEqual([v2, v1]);
    const top = await mod('GET', '/v1/moderation/queue?sort=most_reported&limit=50');
    const g1 = top.body.items.find((i: { target_id: string }) => i.target_id === v1);
    expect(g1).toMatchObject({
      target_type: 'video',
      report_count: 3,
      reasons: ['spam'],
      owner_id: owner.id,
    });
    expect(top.body.items.findIndex((i: { target_id: string }) => i.target_id === v1)).toBeLessThan(
      top.body.items.findIndex((i: { target_id: string }) => i.target_id === v2),
    );
    // One group per page: every group exactly once, in the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        status: number;
        text: string;
        body: { items: { target_id: string }[]; next_cursor: string | null };
      } = await mod(
        'GET',
        `/v1/moderation/queue?sort=most_reported&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status, page.text).toBe(200);
      seen.push(...page.body.items.map((i) => i.target_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(top.body.items.map((i: { target_id: string }) => i.target_id));
  });
});

describe('takedowns, suspension and dismissal', () => {
  it('a taken-down video is 404 to everyone but moderators; its owner sees `removed` with the reason and gets mail', async () => {
    const owner = await registerUser(api);
    const viewer = await createUser();
    invariants.track(owner.id);
    const [video] = await seedReadyVideos(owner.id, 1);
    await api.request('POST', '/v1/reports', {
      token: viewer.accessToken,
      body: { target_type: 'video', target_id: video, reason: 'violence' },
    });
    const down = await mod('POST', `/v1/moderation/videos/${video}/take-down`, {
      reason: 'Graphic violence',
    });
    expect(down.status).toBe(200);
    expect(down.body).toEqual({
      target_type: 'video',
      target_id: video,
      action: 'take_down',
      reason: 'Graphic violence',
    });

    expect((await api.request('GET', `/v1/videos/${video}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/videos/${video}`, as(viewer.accessToken))).status).toBe(404);
    expect((await api.request('POST', `/v1/likes/videos/${video}`, as(viewer.accessToken))).status).toBe(404);
    const feed = await api.request('GET', `/v1/users/${owner.id}/videos`);
    expect(feed.body.items).toEqual([]);
    const own = await api.request('GET', `/v1/videos/${video}`, as(owner.accessToken));
    expect(own.body).toMatchObject({
      status: 'removed',
      removed_reason: 'Graphic violence',
      video_url: null,
    });
    expect((await lastMailTo(owner.email))?.text).toContain('Graphic violence');
    const review = await mod('GET', `/v1/moderation/videos/${video}`);
    expect(review.status).toBe(200);
    expect(review.body.video.status).toBe('removed');
    expect(review.body.audit.map((a: { action: string }) => a.action)).toEqual(['take_down']);
    const reports = await getDb()
      .selectFrom('reports')
      .select('status')
      .where('target_id', '=', video!)
      .execute();
    expect(reports.map((r) => r.status)).toEqual(['actioned']);

    const back = await mod('POST', `/v1/moderation/videos/${video}/restore`, {
      reason: 'Newsworthy, on appeal',
    });
    expect(back.status).toBe(200);
    expect((await api.request('GET', `/v1/videos/${video}`)).body.status).toBe('ready');
    expect(
      (await mod('GET', `/v1/moderation/videos/${video}`)).body.audit.map(
        (a: { action: string }) => a.action,
      ),
    ).toEqual(['take_down', 'restore']);
  });

  it("takes a public video's media off the CDN (a private revision, paths invalidated) until it is restored", async () => {
    const owner = await registerUser(api);
    invariants.track(owner.id);
    const id = await uploadVideo(
      api,
      media,
      owner,
      await makeTestVideo({ seconds: 1, width: 320, height: 240 }),
      {
        caption: 'soon taken down',
      },
    );
    const before = (await api.request('GET', `/v1/videos/${id}`)).body;
    expect(before.video_url).toBe(`${api.url}/media/${id}/1/play.mp4`);
    expect((await fetch(before.video_url)).status).toBe(200);

    const down = await mod('POST', `/v1/moderation/videos/${id}/take-down`, { reason: 'Deepfake' });
    expect(down.status).toBe(200);
    // The public revision is gone from the bucket and the CDN; the media wait under private/.
    for (const name of ['play.mp4', 'poster.jpg', 'preview.mp4']) {
      expect(await headObject(`media/${id}/1/${name}`), name).toBeNull();
      expect(await headObject(`private/${id}/2/${name}`), name).not.toBeNull();
    }
    expect(localInvalidations()).toContainEqual([`/media/${id}/*`]);
    expect((await fetch(before.video_url)).status).not.toBe(200);
    // Moderators review them through signed URLs.
    const review = await mod('GET', `/v1/moderation/videos/${id}`);
    expect(review.body.review_video_url).toContain(`private/${id}/2/play.mp4`);
    // The owner making it private and public again does not bring them back to the CDN.
    for (const visibility of ['private', 'public']) {
      const patched = await api.request('PATCH', `/v1/videos/${id}`, {
        token: owner.accessToken,
        body: { visibility },
      });
      expect(patched.status, patched.text).toBe(200);
    }
    expect(await headObject(`media/${id}/1/play.mp4`)).toBeNull();
    expect(await headObject(`private/${id}/2/play.mp4`)).not.toBeNull();

    const back = await mod('POST', `/v1/moderation/videos/${id}/restore`, { reason: 'On appeal' });
    expect(back.status).toBe(200);
    const after = (await api.request('GET', `/v1/videos/${id}`)).body;
    expect(after).toMatchObject({ status: 'ready', video_url: `${api.url}/media/${id}/3/play.mp4` });
    expect((await fetch(after.video_url)).status).toBe(200);
    expect(await headObject(`private/${id}/2/play.mp4`)).toBeNull();
  });

  it('a video taken down before its upload is processed: media made under private/ only, onto the CDN when restored', async () => {
    const owner = await registerUser(api);
    invariants.track(owner.id);
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const bytes = await readFile(file);
    const asked = await api.request('POST', '/v1/videos/upload-url', {
      token: owner.accessToken,
      body: { content_type: 'video/mp4', size_bytes: bytes.length, caption: 'taken down in the inbox' },
    });
    expect(asked.status).toBe(201);
    const id = asked.body.video_id as string;
    expect((await mod('POST', `/v1/moderation/videos/${id}/take-down`, { reason: 'Deepfake' })).status).toBe(
      200,
    );

    // The S3 event's processing runs now: the rendition is made, but never under the public prefix.
    expect(await putToUploadUrl(asked.body.upload_url, bytes, 'video/mp4')).toBe(200);
    await media.invoker.idle();
    const row = await getDb()
      .selectFrom('videos')
      .select(['status', 'removed_at', 'media_rev', 'playback_key'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'ready', playback_key: `private/${id}/${row.media_rev}/play.mp4` });
    expect(row.removed_at).not.toBeNull();
    for (const name of ['play.mp4', 'poster.jpg', 'preview.mp4']) {
      expect(await headObject(`media/${id}/${row.media_rev}/${name}`), name).toBeNull();
      expect(await headObject(`private/${id}/${row.media_rev}/${name}`), name).not.toBeNull();
    }
    expect((await api.request('GET', `/v1/videos/${id}`)).status).toBe(404);

    const back = await mod('POST', `/v1/moderation/videos/${id}/restore`, { reason: 'On appeal' });
    expect(back.status).toBe(200);
    const after = (await api.request('GET', `/v1/videos/${id}`)).body;
    const rev = row.media_rev + 1;
    expect(after).toMatchObject({ status: 'ready', video_url: `${api.url}/media/${id}/${rev}/play.mp4` });
    expect((await fetch(after.video_url)).status).toBe(200);
    expect(await headObject(`private/${id}/${row.media_rev}/play.mp4`)).toBeNull();
  });

  it('a takedown or purge while a run works: its revision is not served; the next run places it privately or discards the upload', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    // A run claimed the video (public) and made its media; then a moderator took it down.
    await getDb()
      .updateTable('videos')
      .set({ status: 'processing', media_rev: 4 })
      .where('id', '=', video!)
      .execute();
    const made: ProcessedMedia = {
      playback_key: `media/${video}/4/play.mp4`,
      poster_key: `media/${video}/4/poster.jpg`,
      preview_key: `media/${video}/4/preview.mp4`,
      original_key: `originals/${video}/4.mp4`,
      duration_ms: 1000,
      width: 320,
      height: 240,
      size_bytes: 1000,
    };
    const publicRun = { rev: 4, visibility: 'public' as const };
    await getDb().updateTable('videos').set({ removed_at: new Date() }).where('id', '=', video!).execute();
    expect(await markVideoReady(getDb(), video!, publicRun, made)).toBe(false);
    // The run after it claims the private placement, and that one is served.
    const claim = await claimVideoForProcessing(getDb(), video!, 60);
    expect(claim && mediaVisibility(claim)).toBe('private');
    expect(
      await markVideoReady(getDb(), video!, { rev: claim!.media_rev, visibility: 'private' }, made),
    ).toBe(true);

    // A purge is final: the upload that arrives afterwards is deleted and nothing is made.
    const uploader = await registerUser(api);
    invariants.track(uploader.id);
    const bytes = await readFile(await makeTestVideo({ seconds: 1, width: 320, height: 240 }));
    const asked = await api.request('POST', '/v1/videos/upload-url', {
      token: uploader.accessToken,
      body: { content_type: 'video/mp4', size_bytes: bytes.length },
    });
    const purged = asked.body.video_id as string;
    const down = await mod('POST', `/v1/moderation/videos/${purged}/take-down`, {
      reason: 'CSAM',
      purge_media: true,
    });
    expect(down.status).toBe(200);
    expect(await putToUploadUrl(asked.body.upload_url, bytes, 'video/mp4')).toBe(200);
    await media.invoker.idle();
    const left = await getDb()
      .selectFrom('videos')
      .select(['status', 'media_rev', 'source_key'])
      .where('id', '=', purged)
      .executeTakeFirstOrThrow();
    expect(left).toMatchObject({ status: 'uploading', media_rev: 0 });
    expect(await headObject(left.source_key)).toBeNull();
  });

  it('purge_media deletes the media objects once, and such a video cannot be restored (409)', async () => {
    const owner = await createUser();
    const [video] = await seedReadyVideos(owner.id, 1);
    const row = await getDb()
      .selectFrom('videos')
      .select(['source_key', 'thumbnail_key'])
      .where('id', '=', video!)
      .executeTakeFirstOrThrow();
    await uploadBytes(row.source_key, new Uint8Array([1, 2, 3]), 'video/mp4');
    await uploadBytes(row.thumbnail_key!, new Uint8Array([4, 5]), 'image/jpeg');
    const down = await mod('POST', `/v1/moderation/videos/${video}/take-down`, {
      reason: 'CSAM',
      purge_media: true,
    });
    expect(down.status).toBe(200);
    expect(await headObject(row.source_key)).toBeNull();
    expect(await headObject(row.thumbnail_key!)).toBeNull();
    const restore = await mod('POST', `/v1/moderation/videos/${video}/restore`, { reason: 'mistake' });
    expect(restore.status).toBe(409);
    expect(restore.body.error.code).toBe('media_removed');
    expect((await mod('GET', `/v1/moderation/videos/${video}`)).body.review_video_url).toBeNull();
  });

  it('a taken-down comment disappears from its thread, and comes back when restored', async () => {
    const owner = await createUser();
    const author = await registerUser(api);
    invariants.track(author.id);
    const [video] = await seedReadyVideos(owner.id, 1);
    await postComments(video!, author.id, ['you are all idiots']);
    const list = () => api.request('GET', `/v1/comments/videos/${video}`);
    const id = (await list()).body.items[0].id;
    expect(
      (await mod('POST', `/v1/moderation/comments/${id}/take-down`, { reason: 'Harassment' })).status,
    ).toBe(200);
    expect((await list()).body.items).toEqual([]);
    expect((await lastMailTo(author.email))?.text).toContain('Harassment');
    // The author cannot edit it back.
    const edit = await api.request('PATCH', `/v1/comments/${id}`, {
      token: author.accessToken,
      body: { body: 'sorry' },
    });
    expect(edit.status).toBe(404);
    expect((await mod('POST', `/v1/moderation/comments/${id}/restore`, { reason: 'context' })).status).toBe(
      200,
    );
    expect((await list()).body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("a taken-down comment leaves the video's comment count with the replies it hides, and a restore puts them back", async () => {
    const owner = await createUser();
    const author = await registerUser(api);
    const replier = await registerUser(api);
    invariants.track(author.id, replier.id);
    const [video] = await seedReadyVideos(owner.id, 1);
    const post = async (who: TestUser, body: string, parent?: string) => {
      const res = await api.request('POST', `/v1/comments/videos/${video}`, {
        token: who.accessToken,
        body: { body, ...(parent ? { parent_id: parent } : {}) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const shown = async () => {
      const v = await api.request('GET', `/v1/videos/${video}`);
      const top = (await api.request('GET', `/v1/comments/videos/${video}`)).body.items as {
        id: string;
        reply_count: number;
      }[];
      const replies = await Promise.all(
        top.map(
          async (c) => (await api.request('GET', `/v1/comments/${c.id}/replies`)).body.items.length as number,
        ),
      );
      // What the thread shows is what the count says, and each reply count matches its replies.
      expect(top.map((c) => c.reply_count)).toEqual(replies);
      expect(v.body.comment_count).toBe(top.length + replies.reduce((a, b) => a + b, 0));
      return v.body.comment_count as number;
    };
    // An unknown comment is 404 and a malformed id 400, and neither moves a counter.
    for (const action of ['take-down', 'restore']) {
      const unknown = await mod('POST', `/v1/moderation/comments/${crypto.randomUUID()}/${action}`, {
        reason: 'x',
      });
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
      const malformed = await mod('POST', `/v1/moderation/comments/not-a-uuid/${action}`, { reason: 'x' });
      expect([malformed.status, malformed.body.error.code]).toEqual([400, 'validation_failed']);
    }
    const thread = await post(author, 'you are all idiots');
    const kept = await post(author, 'nice one');
    const r1 = await post(replier, 'calm down', thread);
    const r2 = await post(replier, 'seriously', thread);
    const r3 = await post(author, 'thanks', kept);
    expect(await shown()).toBe(5);

    // A reply taken down: -1 on the video and on its parent; twice changes nothing more.
    await mod('POST', `/v1/moderation/comments/${r3}/take-down`, { reason: 'Spam' });
    await mod('POST', `/v1/moderation/comments/${r3}/take-down`, { reason: 'Spam, really' });
    expect(await shown()).toBe(4);
    // A top-level one hides its thread: itself and its two replies.
    expect(
      (await mod('POST', `/v1/moderation/comments/${thread}/take-down`, { reason: 'Harassment' })).status,
    ).toBe(200);
    expect(await shown()).toBe(1);
    // Its replier deletes a hidden reply: not counted twice.
    expect((await api.request('DELETE', `/v1/comments/${r1}`, { token: replier.accessToken })).status).toBe(
      204,
    );
    expect(await shown()).toBe(1);
    // Restores put back what is still there, once.
    await mod('POST', `/v1/moderation/comments/${thread}/restore`, { reason: 'context' });
    await mod('POST', `/v1/moderation/comments/${thread}/restore`, { reason: 'context' });
    expect(await shown()).toBe(3);
    await mod('POST', `/v1/moderation/comments/${r3}/restore`, { reason: 'not spam' });
    expect(await shown()).toBe(4);
    // Deleting a thread that holds a taken-down reply counts only what was shown.
    await mod('POST', `/v1/moderation/comments/${r2}/take-down`, { reason: 'Spam' });
    expect(await shown()).toBe(3);
    expect(
      (await api.request('DELETE', `/v1/comments/${thread}`, { token: author.accessToken })).status,
    ).toBe(204);
    expect(await shown()).toBe(2);
  });

  it('migration 20261130T1800 recounts what takedowns made before it left counted', async () => {
    const owner = await createUser();
    const author = await registerUser(api);
    invariants.track(author.id);
    const [video] = await seedReadyVideos(owner.id, 1);
    const post = async (body: string, parent_id?: string) =>
      (
        await api.request('POST', `/v1/comments/videos/${video}`, {
          token: author.accessToken,
          body: { body, ...(parent_id ? { parent_id } : {}) },
        })
      ).body.id as string;
    const top = await post('first');
    await post('reply', top);
    const other = await post('second');
    const reply = await post('reply to second', other);
    // Takedowns as they were made before: the flag set, no counter moved.
    await getDb()
      .updateTable('comments')
      .set({ removed_at: sql`now()`, removed_reason: 'Spam' })
      .where('id', 'in', [top, reply])
      .execute();
    const counts = async () =>
      (
        await getDb()
          .selectFrom('videos')
          .select('comment_count')
          .where('id', '=', video!)
          .executeTakeFirstOrThrow()
      ).comment_count;
    expect(await counts()).toBe(4);
    await recountAfterTakedowns(getDb(), [video!]);
    // `second` alone shows: `first` and its reply are hidden, `reply to second` is taken down.
    expect(await counts()).toBe(1);
    expect((await api.request('GET', `/v1/comments/videos/${video}`)).body.items).toMatchObject([
      { id: other, reply_count: 0 },
    ]);
  });

  it('suspension revokes tokens, refuses sign-in, hides the account and its content; unsuspending lets it back', async () => {
    const bad = await registerUser(api);
    invariants.track(bad.id);
    const [video] = await seedReadyVideos(bad.id, 1);
    const res = await mod('POST', `/v1/moderation/users/${bad.id}/suspend`, { reason: 'Spam network' });
    expect(res.status).toBe(200);
    const me = await api.request('GET', '/v1/auth/me', as(bad.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_ended');
    const login = await api.request('POST', '/v1/auth/login', {
      body: { email: bad.email, password: bad.password },
    });
    expect(login.status).toBe(403);
    expect(login.body.error).toMatchObject({
      code: 'account_suspended',
      details: { reason: 'Spam network' },
    });
    const refresh = await api.request('POST', '/v1/auth/refresh', {
      body: { refresh_token: bad.refreshToken },
    });
    expect(refresh.status).toBeGreaterThanOrEqual(400);
    expect((await api.request('GET', `/v1/users/${bad.id}`)).status).toBe(404);
    expect((await api.request('GET', `/v1/videos/${video}`)).status).toBe(404);
    // Moderators cannot suspend staff.
    const staff = await mod('POST', `/v1/moderation/users/${moderator.id}/suspend`, { reason: 'x' });
    expect(staff.body.error.code).toBe('cannot_moderate_staff');

    expect(
      (await mod('POST', `/v1/moderation/users/${bad.id}/unsuspend`, { reason: 'Appeal accepted' })).status,
    ).toBe(200);
    await signIn(bad);
    expect((await api.request('GET', `/v1/videos/${video}`)).status).toBe(200);
  });

  it('dismisses one open report (audited); a second dismissal is 404; the reporter may report again', async () => {
    const [owner, reporter] = [await createUser(), await createUser()];
    const filed = await api.request('POST', '/v1/reports', {
      token: reporter.accessToken,
      body: { target_type: 'user', target_id: owner.id, reason: 'other', note: 'weird' },
    });
    const id = filed.body.id;
    const res = await mod('POST', `/v1/moderation/reports/${id}/dismiss`, { reason: 'Not a violation' });
    expect(res.body).toEqual({ id, status: 'dismissed' });
    expect((await mod('POST', `/v1/moderation/reports/${id}/dismiss`, { reason: 'again' })).status).toBe(404);
    const again = await api.request('POST', '/v1/reports', {
      token: reporter.accessToken,
      body: { target_type: 'user', target_id: owner.id, reason: 'spam' },
    });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);
  });
});

describe('the audit log', () => {
  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const [entry] = await getDb().selectFrom('moderation_actions').select('id').limit(1).execute();
    expect(entry).toBeDefined();
    await expect(
      getDb()
        .updateTable('moderation_actions')
        .set({ reason: 'rewritten' })
        .where('id', '=', entry!.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      getDb().deleteFrom('moderation_actions').where('id', '=', entry!.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE moderation_actions`.execute(getDb())).rejects.toThrow(/append-only/);
  });
});
