import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { syncVideoHashtags } from '../../../shared/hashtags/repository.ts';
import { followAll, hideVideo } from '../../harness/consistent-writes.ts';
import { uniqueSuffix } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { seedReadyVideos } from '../../harness/seed.ts';
import { createUser, createUsers, hangulToken } from '../../social/fixtures.ts';

useLocalMedia();
const api = useApi();

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const q = (s: string) => encodeURIComponent(s);

/** Seeds videos and links their hashtags the way create/update do. */
async function seedCaptioned(ownerId: string, captions: string[], opts: { visibility?: 'private' } = {}) {
  const videoIds = await seedReadyVideos(ownerId, captions.length, { caption: (i) => captions[i]!, ...opts });
  const rows = await getDb()
    .selectFrom('videos')
    .select(['id', 'caption'])
    .where('id', 'in', videoIds)
    .execute();
  await getDb()
    .transaction()
    .execute(async (trx) => {
      for (const r of rows) await syncVideoHashtags(trx, r.id, r.caption);
    });
  return videoIds;
}

describe('GET /v1/search/users', () => {
  it('matches part of a username case-insensitively, exact and prefix matches first', async () => {
    const tok = uniqueSuffix();
    const [inside, exact, prefix] = await createUsers(3, {
      username: (i) => [`xx_Glitch${tok}_yy`, `Glitch${tok}`, `glitch${tok}_fan`][i]!,
    });
    const res = await api.request('GET', `/v1/search/users?q=${q(`GLITCH${tok}`)}`);
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual([exact!.id, prefix!.id, inside!.id]);
    expect(res.body.items[0]).not.toHaveProperty('email');
    expect(res.body.items[0].followed_by_me).toBeNull();
  });

  it('finds Korean display names by a partial match, ranked by followers within a tier', async () => {
    const tok = hangulToken();
    const [quiet, popular] = await createUsers(2, { displayName: (i) => `${tok}트릭스터 ${i}` });
    await followAll((await createUsers(10)).map((fan) => [fan.id, popular!.id] as const));
    const viewer = await createUser();
    await api.request('POST', `/v1/follows/users/${quiet!.id}`, { token: viewer.accessToken });
    const res = await api.request('GET', `/v1/search/users?q=${q(`${tok.slice(1)}트릭`)}`, {
      token: viewer.accessToken,
    });
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual([popular!.id, quiet!.id]);
    expect(res.body.items.map((u: { followed_by_me: boolean }) => u.followed_by_me)).toEqual([false, true]);
  });

  it('pages through ranked results with a cursor; clamps the limit', async () => {
    const tok = uniqueSuffix();
    const people = await createUsers(55, { username: (i) => `pg${tok}_${i}` });
    const first = await api.request('GET', `/v1/search/users?q=${tok}&limit=1000`);
    expect(first.body.items).toHaveLength(50);
    const rest = await api.request(
      'GET',
      `/v1/search/users?q=${tok}&limit=1000&cursor=${first.body.next_cursor}`,
    );
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.next_cursor).toBeNull();
    expect(new Set([...ids(first.body.items), ...ids(rest.body.items)])).toEqual(
      new Set(people.map((p) => p.id)),
    );
  });
});

describe('GET /v1/search/videos', () => {
  it('finds Korean captions by a partial word (트릭 in #트릭스터)', async () => {
    const owner = await createUser();
    const [video] = await seedCaptioned(owner.id, ['#트릭스터 영상']);
    const res = await api.request('GET', `/v1/search/videos?q=${q('트릭')}&limit=50`);
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toContain(video);
    expect(res.body.items.find((v: { id: string }) => v.id === video)).toMatchObject({
      caption: '#트릭스터 영상',
      liked_by_me: null,
    });
  });

  it('matches case-insensitively, newest first, and only public ready live videos', async () => {
    const tok = uniqueSuffix();
    const owner = await createUser();
    const now = Date.now();
    const [older, newer] = await seedReadyVideos(owner.id, 2, {
      caption: (i) => `Big GLITCH ${tok} energy ${i}`,
      createdAt: (i) => new Date(now - (2 - i) * 1000),
    });
    const [privateOne] = await seedReadyVideos(owner.id, 1, {
      caption: () => `glitch ${tok} private`,
      visibility: 'private',
    });
    const [processing, deleted] = await seedReadyVideos(owner.id, 2, {
      caption: () => `glitch ${tok} hidden`,
    });
    await hideVideo(processing!, 'processing');
    await hideVideo(deleted!, 'deleted');

    const res = await api.request('GET', `/v1/search/videos?q=${q(`glitch ${tok}`)}`, {
      token: owner.accessToken,
    });
    expect(ids(res.body.items)).toEqual([newer, older]);
    expect(ids(res.body.items)).not.toContain(privateOne);

    const page1 = await api.request('GET', `/v1/search/videos?q=${q(`glitch ${tok}`)}&limit=1`);
    const page2 = await api.request(
      'GET',
      `/v1/search/videos?q=${q(`glitch ${tok}`)}&limit=1&cursor=${page1.body.next_cursor}`,
    );
    expect([...ids(page1.body.items), ...ids(page2.body.items)]).toEqual([newer, older]);
    expect(page2.body.next_cursor).toBeNull();
  });
});

describe('wildcards and bad input', () => {
  it('treats %, _ and \\ as the characters they are', async () => {
    const tok = uniqueSuffix();
    const owner = await createUser();
    const [percent, lookalike, backslash, backslashLookalike] = await seedReadyVideos(owner.id, 4, {
      caption: (i) => [`${tok} 50%_off`, `${tok} 50abcoff`, `${tok} back\\slash`, `${tok} backslash`][i]!,
    });
    const search = async (text: string) =>
      ids((await api.request('GET', `/v1/search/videos?q=${q(text)}`)).body.items);
    expect(await search(`${tok} 50%_`)).toEqual([percent]);
    expect(await search(`${tok} 50%`)).toEqual([percent]);
    expect(await search(`k\\sl`)).toContain(backslash);
    expect(await search(`k\\sl`)).not.toContain(backslashLookalike);
    expect(await search(`${tok} 50_`)).toEqual([]);
    expect(await search(`%${tok}`)).toEqual([]);
    expect(lookalike).toBeDefined();

    const [underscore, letter] = await createUsers(2, { username: (i) => [`u${tok}_x`, `u${tok}yx`][i]! });
    const users = await api.request('GET', `/v1/search/users?q=${q(`${tok}_`)}`);
    expect(ids(users.body.items)).toEqual([underscore!.id]);
    expect(letter).toBeDefined();
  });

  it('needs 2 to 100 characters after trimming, a valid cursor, and clamps the limit', async () => {
    for (const path of ['/v1/search/users', '/v1/search/videos', '/v1/search']) {
      expect((await api.request('GET', path)).status, path).toBe(400);
      expect((await api.request('GET', `${path}?q=a`)).status).toBe(400);
      expect((await api.request('GET', `${path}?q=${q('   a   ')}`)).status).toBe(400);
      expect((await api.request('GET', `${path}?q=${'x'.repeat(101)}`)).status).toBe(400);
      expect((await api.request('GET', `${path}?q=${q('트릭')}`)).status).toBe(200);
      expect((await api.request('GET', `${path}?q=ab&limit=0`)).status).toBe(400);
      // NUL cannot even reach Postgres (it would be a 500 there).
      expect((await api.request('GET', `${path}?q=ab%00cd`)).status).toBe(400);
    }
    for (const path of ['/v1/search/users', '/v1/search/videos']) {
      const bad = await api.request('GET', `${path}?q=ab&cursor=garbage`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_cursor');
    }
    const forged = Buffer.from(JSON.stringify({ r: '0 OR 1=1', f: 0, id: 'x' })).toString('base64url');
    expect((await api.request('GET', `/v1/search/users?q=ab&cursor=${forged}`)).status).toBe(400);
    const big = await api.request('GET', '/v1/search/videos?q=seeded&limit=100000');
    expect(big.status).toBe(200);
    expect(big.body.items.length).toBeLessThanOrEqual(50);
  });
});

describe('GET /v1/search (combined)', () => {
  it('returns people, videos and public hashtags, logged out and logged in', async () => {
    const tok = uniqueSuffix();
    const [creator] = await createUsers(1, { username: () => `mix${tok}` });
    const [video] = await seedCaptioned(creator!.id, [`made by mix${tok} #mix${tok}_public`]);
    await seedCaptioned(creator!.id, [`#mix${tok}_secret`], { visibility: 'private' });

    const anonymous = await api.request('GET', `/v1/search?q=mix${tok}`);
    expect(anonymous.status).toBe(200);
    expect(ids(anonymous.body.users.items)).toEqual([creator!.id]);
    expect(ids(anonymous.body.videos.items)).toEqual([video]);
    // A tag used only on a private video stays private.
    expect(anonymous.body.hashtags).toEqual([{ tag: `mix${tok}_public` }]);
    expect(anonymous.body.users.items[0].followed_by_me).toBeNull();
    expect(anonymous.body.videos.items[0].liked_by_me).toBeNull();

    const fan = await createUser();
    await api.request('POST', `/v1/follows/users/${creator!.id}`, { token: fan.accessToken });
    await api.request('POST', `/v1/likes/videos/${video}`, { token: fan.accessToken });
    const signedIn = await api.request('GET', `/v1/search?q=${q(`#MIX${tok}`)}`, { token: fan.accessToken });
    expect(signedIn.body.hashtags).toEqual([{ tag: `mix${tok}_public` }]);
    const byName = await api.request('GET', `/v1/search?q=mix${tok}`, { token: fan.accessToken });
    expect(byName.body.users.items[0].followed_by_me).toBe(true);
    expect(byName.body.videos.items[0].liked_by_me).toBe(true);
    expect(byName.body.users.items[0].follower_count).toBe(1);
  });

  it('limits each kind to a few (default 5, at most 20)', async () => {
    const tok = uniqueSuffix();
    await createUsers(25, { username: (i) => `few${tok}_${i}` });
    const res = await api.request('GET', `/v1/search?q=few${tok}`);
    expect(res.body.users.items).toHaveLength(5);
    expect(res.body.users.next_cursor).toEqual(expect.any(String));
    const more = await api.request('GET', `/v1/search?q=few${tok}&limit=500`);
    expect(more.body.users.items).toHaveLength(20);
    const next = await api.request(
      'GET',
      `/v1/search/users?q=few${tok}&cursor=${more.body.users.next_cursor}`,
    );
    expect(next.body.items).toHaveLength(5);
  });
});
