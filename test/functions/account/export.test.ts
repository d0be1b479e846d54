import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { exportHooks } from '../../../shared/accounts/export-build.ts';
import { getDb } from '../../../shared/db/client.ts';
import { exportKey } from '../../../shared/storage/keys.ts';
import { headObject } from '../../../shared/storage/s3.ts';
import { useLocalAccounts } from '../../harness/accounts-stack.ts';
import { uploadCharacterImage } from '../../harness/ai.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { lastMailTo, linkToken, readOutbox } from '../../harness/mail.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { uploadVideo } from '../../harness/videos.ts';

const api = useApi();
const media = useLocalMedia();
const accounts = useLocalAccounts();

describe('data export', () => {
  it('builds a zip with every file, notifies, mails a 7-day link, and shows its status', async () => {
    const user = await registerUser(api);
    const friend = await registerUser(api);
    const clip = await makeTestVideo({ seconds: 2, width: 320, height: 240 });
    const videoId = await uploadVideo(api, media, user, clip, { caption: '내 영상 #glitch' });
    const [friendVideo] = await seedReadyVideos(friend.id, 1);
    await api.request('POST', `/v1/likes/videos/${friendVideo}`, { token: user.accessToken });
    await api.request('POST', `/v1/comments/videos/${friendVideo}`, {
      token: user.accessToken,
      body: { body: 'nice' },
    });
    await api.request('POST', `/v1/follows/users/${friend.id}`, { token: user.accessToken });
    await api.request('POST', `/v1/follows/users/${user.id}`, { token: friend.accessToken });
    await uploadCharacterImage(api, user);

    const res = await api.request('POST', '/v1/account/exports', { token: user.accessToken });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', download_url: null });
    // One at a time, and one a day.
    const twice = await api.request('POST', '/v1/account/exports', { token: user.accessToken });
    expect([409, 429]).toContain(twice.status);
    await accounts.settle();

    const status = await api.request('GET', `/v1/account/exports/${res.body.id}`, {
      token: user.accessToken,
    });
    expect(status.body).toMatchObject({ id: res.body.id, status: 'ready', error: null });
    const expires = new Date(status.body.expires_at).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    const again = await api.request('POST', '/v1/account/exports', { token: user.accessToken });
    expect([again.status, again.body.error.code]).toEqual([429, 'too_many_requests']);
    // Someone else's export is not found.
    expect(
      (await api.request('GET', `/v1/account/exports/${res.body.id}`, { token: friend.accessToken })).status,
    ).toBe(404);

    // The notification and the mail.
    const notes = await api.request('GET', '/v1/notifications', { token: user.accessToken });
    const ready = notes.body.items.find((n: { type: string }) => n.type === 'export_ready');
    expect(ready).toMatchObject({ actor: null, export: { id: res.body.id } });
    const mail = await lastMailTo(user.email);
    expect(mail!.subject).toBe('Your LOKIZ data export is ready');
    const link = new URL(mail!.link!);
    expect(link.pathname).toBe(`/v1/account/exports/${res.body.id}/download`);

    // The mailed link redirects to the zip (no sign-in needed; the token is the key). Its base
    // is PUBLIC_API_URL; here the test's own gateway serves it.
    const local = (u: URL) => new URL(`${u.pathname}${u.search}`, api.url);
    const redirect = await fetch(local(link), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const zip = unzipSync(
      new Uint8Array(await (await fetch(redirect.headers.get('location')!)).arrayBuffer()),
    );
    const files = Object.keys(zip).sort();
    for (const name of [
      'README.txt',
      'profile.json',
      'videos.json',
      'comments.json',
      'likes.json',
      'follows.json',
      'notifications.json',
      'credit_ledger.json',
      'ai_jobs.json',
      'media.json',
      `media/videos/${videoId}.mp4`,
    ]) {
      expect(files).toContain(name);
    }
    const json = (name: string) => JSON.parse(strFromU8(zip[name]!));
    expect(json('profile.json')).toMatchObject({ id: user.id, email: user.email, credits: 100 });
    expect(json('videos.json')).toEqual([
      expect.objectContaining({ id: videoId, caption: '내 영상 #glitch', like_count: 0 }),
    ]);
    expect(json('likes.json')).toEqual([expect.objectContaining({ video_id: friendVideo })]);
    expect(json('comments.json')).toEqual([expect.objectContaining({ body: 'nice' })]);
    expect(json('follows.json')).toMatchObject({
      following: [{ id: friend.id }],
      followers: [{ id: friend.id }],
    });
    expect(json('credit_ledger.json')).toEqual([
      expect.objectContaining({ reason: 'signup_bonus', amount: 100 }),
    ]);
    expect(zip[`media/videos/${videoId}.mp4`]!.length).toBe((await import('node:fs')).statSync(clip).size);
    expect(json('media.json').filter((m: { path: string | null }) => m.path).length).toBe(2);

    // A wrong token, or an expired link, finds nothing.
    const wrong = new URL(mail!.link!);
    wrong.searchParams.set(
      'token',
      linkToken({ ...mail!, link: mail!.link }).replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect((await fetch(local(wrong), { redirect: 'manual' })).status).toBe(404);
    await sql`UPDATE account_exports SET expires_at = now() - interval '1 second' WHERE id = ${res.body.id}`.execute(
      getDb(),
    );
    expect((await fetch(local(link), { redirect: 'manual' })).status).toBe(404);
    const expired = await api.request('GET', `/v1/account/exports/${res.body.id}`, {
      token: user.accessToken,
    });
    expect(expired.body.download_url).toBeNull();
  }, 60_000);

  it('lists media over the size limit instead of copying it', async () => {
    process.env.EXPORT_MEDIA_MAX_BYTES = '10';
    (await import('../../../shared/config/env.ts')).resetEnvCache();
    try {
      const user = await registerUser(api);
      const clip = await makeTestVideo({ seconds: 1, width: 160, height: 120 });
      const videoId = await uploadVideo(api, media, user, clip);
      const res = await api.request('POST', '/v1/account/exports', { token: user.accessToken });
      await accounts.settle();
      const status = await api.request('GET', `/v1/account/exports/${res.body.id}`, {
        token: user.accessToken,
      });
      const zip = unzipSync(new Uint8Array(await (await fetch(status.body.download_url)).arrayBuffer()));
      expect(Object.keys(zip)).not.toContain(`media/videos/${videoId}.mp4`);
      expect(JSON.parse(strFromU8(zip['media.json']!))).toEqual([
        expect.objectContaining({
          kind: 'video',
          id: videoId,
          path: null,
          note: expect.stringContaining('limit'),
        }),
      ]);
    } finally {
      delete process.env.EXPORT_MEDIA_MAX_BYTES;
      (await import('../../../shared/config/env.ts')).resetEnvCache();
    }
  }, 60_000);

  afterEach(() => {
    exportHooks.afterUpload = undefined;
  });

  it.each([
    ['its purge has already run', true],
    ['its purge runs when the queue delivers it', false],
  ])(
    'leaves no zip, no notification and no mail when the account is deleted while its export is built (%s)',
    async (_, purgeFirst) => {
      const user = await registerUser(api);
      await uploadCharacterImage(api, user);
      const res = await api.request('POST', '/v1/account/exports', { token: user.accessToken });
      expect(res.status).toBe(202);
      let uploaded = false;
      // The zip is in S3; before the builder records it, the person deletes the account.
      exportHooks.afterUpload = async () => {
        uploaded = (await headObject(exportKey(user.id, res.body.id))) !== null;
        const deleted = await api.request('DELETE', '/v1/account', {
          token: user.accessToken,
          body: { password: user.password },
        });
        expect(deleted.status).toBe(202);
        if (purgeFirst) await accounts.deletions.idle();
      };
      await accounts.settle();
      expect(uploaded).toBe(true);

      expect(await headObject(exportKey(user.id, res.body.id))).toBeNull();
      const rows = await getDb()
        .selectFrom('account_exports')
        .select('id')
        .where('user_id', '=', user.id)
        .execute();
      expect(rows).toEqual([]);
      const notes = await getDb()
        .selectFrom('notifications')
        .select('id')
        .where('recipient_id', '=', user.id)
        .execute();
      expect(notes).toEqual([]);
      const mails = await readOutbox(user.email);
      expect(mails.map((m) => m.subject)).not.toContain('Your LOKIZ data export is ready');
    },
    60_000,
  );
});
