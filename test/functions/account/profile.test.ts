import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { ffmpegPath } from '../../../shared/media/binaries.ts';
import { readJpegSize } from '../../../shared/media/jpeg-size.ts';
import { runBinary } from '../../../shared/media/run.ts';
import { localInvalidations } from '../../../shared/storage/cdn.ts';
import { testJpeg } from '../../harness/ai.ts';
import { uploadAvatar } from '../../harness/avatars.ts';
import { registerUser, uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTempDir } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';

const api = useApi();
const media = useLocalMedia();

const patch = (token: string, body: unknown) => api.request('PATCH', '/v1/account/profile', { token, body });

describe('PATCH /v1/account/profile', () => {
  it('changes display name, bio and mail language; public profiles show them', async () => {
    const user = await registerUser(api);
    const res = await patch(user.accessToken, {
      display_name: '  트릭스터 ✨ ',
      bio: 'line one\nline\ttwo',
      locale: 'ko',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ display_name: '트릭스터 ✨', bio: 'line one\nline\ttwo', locale: 'ko' });
    const profile = await api.request('GET', `/v1/users/${user.id}`);
    expect(profile.body).toMatchObject({
      display_name: '트릭스터 ✨',
      bio: 'line one\nline\ttwo',
      avatar_url: null,
    });
  });

  it.each([
    ['a bio over 160 characters', { bio: 'x'.repeat(161) }],
    ['a control character in a bio', { bio: 'bell\u0007' }],
    ['a control character in a name', { display_name: 'new\nline' }],
    ['a bidi override in a name', { display_name: 'abc\u202Eexe.txt' }],
    ['an empty name', { display_name: '   ' }],
    ['an unknown field', { credits: 1000 }],
    ['nothing', {}],
    ['a bad username', { username: 'no spaces' }],
  ])('rejects %s with 400 and changes nothing', async (_label, body) => {
    const user = await registerUser(api);
    const res = await patch(user.accessToken, body);
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    const row = await getDb()
      .selectFrom('users')
      .select(['display_name', 'bio'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: user.username, bio: '' });
  });

  it('accepts exactly 160 characters of bio (Hangul counts as one each)', async () => {
    const user = await registerUser(api);
    expect((await patch(user.accessToken, { bio: '글'.repeat(160) })).status).toBe(200);
  });

  it('changes the username once per 30 days and keeps the old one reserved for 30 days', async () => {
    const user = await registerUser(api);
    const other = await registerUser(api);
    const newName = `renamed_${uniqueSuffix()}`;
    const first = await patch(user.accessToken, { username: newName });
    expect([first.status, first.body.username]).toEqual([200, newName]);
    expect((await api.request('GET', `/v1/usernames/${newName}`)).body.id).toBe(user.id);

    const again = await patch(user.accessToken, { username: `again_${uniqueSuffix()}` });
    expect([again.status, again.body.error.code]).toEqual([409, 'username_change_too_soon']);
    expect(new Date(again.body.error.details.next_change_at).getTime()).toBeGreaterThan(
      Date.now() + 29 * 86_400_000,
    );

    // Nobody else takes the old name: not by renaming, not by signing up.
    const steal = await patch(other.accessToken, { username: user.username.toUpperCase() });
    expect([steal.status, steal.body.error.code]).toEqual([409, 'username_taken']);
    const signUp = await api.request('POST', '/v1/auth/register', {
      body: {
        email: `s_${uniqueSuffix()}@example.test`,
        username: user.username,
        password: 'glitch-me-please-7',
      },
    });
    expect([signUp.status, signUp.body.error.code]).toEqual([409, 'username_taken']);

    // 30 days later: the owner may change again, and takes the old name back.
    await sql`UPDATE users SET username_changed_at = now() - interval '31 days' WHERE id = ${user.id}`.execute(
      getDb(),
    );
    const back = await patch(user.accessToken, { username: user.username });
    expect([back.status, back.body.username]).toEqual([200, user.username]);
    // And after the reservation ends, a released name is free for anyone.
    await sql`UPDATE username_reservations SET reserved_until = now() - interval '1 second' WHERE user_id = ${user.id}`.execute(
      getDb(),
    );
    await sql`UPDATE users SET username_changed_at = NULL WHERE id = ${other.id}`.execute(getDb());
    expect((await patch(other.accessToken, { username: newName })).status).toBe(200);
  });
});

async function fetchJpeg(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return readJpegSize(new Uint8Array(await res.arrayBuffer()));
}

describe('avatars', () => {
  it('become 512 and 128 px squares through the upload pipeline, replacing the old one', async () => {
    const user = await registerUser(api);
    const first = await uploadAvatar(api, media, user.accessToken, await testJpeg());
    const profile = await api.request('GET', `/v1/users/${user.id}`);
    // Public media at the CDN like videos' renditions: a plain, unsigned URL under media/.
    expect(profile.body.avatar_url).toBe(
      `${process.env.MEDIA_CDN_BASE_URL}/media/avatars/${user.id}/${first}/512.jpg`,
    );
    expect(await fetchJpeg(profile.body.avatar_url)).toEqual({ width: 512, height: 512 });

    // A PNG this time, portrait: still a centred square.
    const dir = makeTempDir();
    await runBinary(ffmpegPath(), [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=300x700',
      '-frames:v',
      '1',
      join(dir, 'p.png'),
    ]);
    const second = await uploadAvatar(
      api,
      media,
      user.accessToken,
      new Uint8Array(await readFile(join(dir, 'p.png'))),
      'image/png',
    );
    const after = await api.request('GET', `/v1/users/${user.id}`);
    expect(after.body.avatar_url).toContain(`avatars/${user.id}/${second}/512.jpg`);
    const small = after.body.avatar_url.replace('/512.jpg', '/128.jpg');
    expect(await fetchJpeg(small)).toEqual({ width: 128, height: 128 });
    // The old images and the uploads are gone, and the CDN is told to forget the old ones (a
    // missing key at the CDN is S3's 403 through Origin Access Control).
    expect((await fetch(profile.body.avatar_url)).status).toBe(403);
    expect(localInvalidations()).toContainEqual([`/media/avatars/${user.id}/${first}/*`]);
    // Cards next to content use the small one.
    const cards = await api.request('GET', `/v1/follows/users/${user.id}/followers`);
    expect(cards.status).toBe(200);
  });

  it('takes a WebP too, and refuses an animated one, keeping the old avatar', async () => {
    const user = await registerUser(api);
    const dir = makeTempDir();
    const webp = async (name: string, args: string[]) => {
      await runBinary(ffmpegPath(), ['-hide_banner', '-loglevel', 'error', '-y', ...args, join(dir, name)]);
      return new Uint8Array(await readFile(join(dir, name)));
    };
    const still = await webp('still.webp', [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=900x400',
      '-frames:v',
      '1',
      '-c:v',
      'libwebp',
    ]);
    const id = await uploadAvatar(api, media, user.accessToken, still, 'image/webp');
    const profile = await api.request('GET', `/v1/users/${user.id}`);
    expect(profile.body.avatar_url).toContain(`avatars/${user.id}/${id}/512.jpg`);
    expect(await fetchJpeg(profile.body.avatar_url)).toEqual({ width: 512, height: 512 });

    // Animated WebP: the WebP decoder of the layer's FFmpeg (4.1, the one tests run) cannot read
    // one, so it is refused like any other unreadable image.
    const animated = await webp('anim.webp', [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x320:rate=10',
      '-t',
      '1',
      '-c:v',
      'libwebp_anim',
      '-loop',
      '0',
    ]);
    await uploadAvatar(api, media, user.accessToken, animated, 'image/webp');
    const row = await getDb()
      .selectFrom('users')
      .select(['avatar_key', 'pending_avatar_id'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.pending_avatar_id).toBeNull();
    expect(row.avatar_key).toContain(`/${id}/`);
  });

  it('rejects a file that is not the image it claims to be, keeping the old avatar', async () => {
    const user = await registerUser(api);
    await uploadAvatar(api, media, user.accessToken, await testJpeg());
    const before = (
      await getDb()
        .selectFrom('users')
        .select('avatar_key')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow()
    ).avatar_key;
    await uploadAvatar(
      api,
      media,
      user.accessToken,
      new TextEncoder().encode('<svg onload=alert(1)>'.repeat(20)),
      'image/png',
    );
    await uploadAvatar(api, media, user.accessToken, await testJpeg(), 'image/png', 'image/png');
    const row = await getDb()
      .selectFrom('users')
      .select(['avatar_key', 'pending_avatar_id'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ avatar_key: before, pending_avatar_id: null });
  });

  it('refuses oversize and non-image uploads up front', async () => {
    const user = await registerUser(api);
    for (const body of [
      { content_type: 'image/jpeg', size_bytes: 10 * 1024 * 1024 + 1 },
      { content_type: 'image/svg+xml', size_bytes: 100 },
      { content_type: 'image/jpeg', size_bytes: 0 },
    ]) {
      const res = await api.request('POST', '/v1/account/avatar/upload-url', {
        token: user.accessToken,
        body,
      });
      expect(res.status).toBe(400);
    }
  });
});
