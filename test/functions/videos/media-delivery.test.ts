import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { readJpegSize } from '../../../shared/media/jpeg-size.ts';
import { probeVideo } from '../../../shared/media/probe.ts';
import { localInvalidations } from '../../../shared/storage/cdn.ts';
import { allTimelineKeys, originalKey, videoMediaKeys } from '../../../shared/storage/keys.ts';
import { downloadToFile, headObject, s3Client } from '../../../shared/storage/s3.ts';
import { MAX_SOURCE_PIXELS } from '../../../shared/videos/limits.ts';
import { adjustUserVideoCount } from '../../../shared/videos/repository.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import {
  averageColour,
  colourTags,
  makeTempDir,
  makeTestVideo,
  topLevelBoxes,
  writeTextAsMp4,
} from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { putToUploadUrl, uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Tests that make and transcode larger clips get more than the default 30 s on a busy CI machine. */
const TRANSCODE_TEST_TIMEOUT_MS = 120_000;

function videoRow(id: string) {
  return getDb().selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** GETs a URL the way a player would, keeping the bytes in a temp file for probing. */
async function fetchToFile(url: string, name: string) {
  const res = await fetch(url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const path = join(makeTempDir('lokiz-cdn-test-'), name);
  await writeFile(path, bytes);
  return { res, bytes, path };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A small real clip through the whole upload path. */
async function uploadClip(user: TestUser, seconds: number): Promise<string> {
  return uploadVideo(api, media, user, await makeTestVideo({ seconds, width: 320, height: 240 }));
}

async function ownView(user: TestUser, id: string) {
  const res = await api.request('GET', `/v1/videos/${id}`, { token: user.accessToken });
  expect(res.status).toBe(200);
  return res.body;
}

describe('upload → S3 event → transcode → ready → feed, played through the CDN stand-in', () => {
  it(
    'serves an H.264 ≤ 720×1280 faststart rendition, a poster and a silent preview at immutable CDN URLs',
    async () => {
      const user = await registerUser(api);
      const file = await makeTestVideo({ seconds: 2, width: 1600, height: 900 });
      const id = await uploadVideo(api, media, user, file, { caption: 'big landscape' });

      const feed = await api.request('GET', `/v1/videos?user_id=${user.id}`);
      expect(feed.status).toBe(200);
      const [item] = feed.body.items;
      expect(item).toMatchObject({
        id,
        status: 'ready',
        width: 1280,
        height: 720,
        video_url: `${api.url}/media/${id}/1/play.mp4`,
        thumbnail_url: `${api.url}/media/${id}/1/poster.jpg`,
        preview_url: `${api.url}/media/${id}/1/preview.mp4`,
        // CDN URLs do not expire.
        urls_expire_at: null,
      });

      const play = await fetchToFile(item.video_url, 'play.mp4');
      expect(play.res.status).toBe(200);
      expect(play.res.headers.get('content-type')).toBe('video/mp4');
      expect(play.res.headers.get('cache-control')).toBe(IMMUTABLE);
      expect(play.res.headers.get('via')).toContain('not CloudFront');
      const rendition = await probeVideo(play.path);
      expect(rendition).toMatchObject({ videoCodec: 'h264', width: 1280, height: 720, hasAudio: true });
      expect(Math.abs(rendition.durationMs - 2000)).toBeLessThan(150);
      const boxes = topLevelBoxes(play.bytes);
      expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
      expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
      // Smaller than the 900p upload: it is a new encode, not a copy.
      expect(play.bytes.length).toBeLessThan((await readFile(file)).length);

      // Players seek with Range requests.
      const range = await fetch(item.video_url, { headers: { range: 'bytes=0-99' } });
      expect(range.status).toBe(206);
      expect(range.headers.get('content-range')).toBe(`bytes 0-99/${play.bytes.length}`);
      expect((await range.arrayBuffer()).byteLength).toBe(100);

      const poster = await fetchToFile(item.thumbnail_url, 'poster.jpg');
      expect(poster.res.headers.get('cache-control')).toBe(IMMUTABLE);
      const posterSize = readJpegSize(poster.bytes);
      expect(posterSize?.width).toBe(720);
      expect(Math.abs(posterSize!.height - 405)).toBeLessThanOrEqual(1);

      const preview = await fetchToFile(item.preview_url, 'preview.mp4');
      expect(preview.res.headers.get('cache-control')).toBe(IMMUTABLE);
      const loop = await probeVideo(preview.path);
      expect(loop).toMatchObject({ videoCodec: 'h264', width: 640, height: 360, hasAudio: false });
      expect(loop.durationMs).toBeLessThanOrEqual(2600);
      expect(preview.bytes.length).toBeLessThan(play.bytes.length / 3);

      // The inbox is empty; the validated original is kept, byte for byte, and never served.
      const row = await videoRow(id);
      expect(await headObject(row.source_key)).toBeNull();
      expect(row.original_key).toBe(originalKey(id, 1, 'video/mp4'));
      const kept = join(makeTempDir(), 'original.mp4');
      await downloadToFile(row.original_key!, kept);
      expect(sha256(await readFile(kept))).toBe(sha256(await readFile(file)));
      expect((await fetch(`${api.url}/${row.original_key}`)).status).toBe(404);
      // The stand-in, like the distribution, serves nothing it does not have (S3 through OAC: 403).
      expect((await fetch(`${api.url}/media/${id}/9/play.mp4`)).status).toBe(403);

      // The video page plays the same rendition; the studio's range preview is a signed proxy clip cut
      // from this revision's rendition (test/functions/studio/preview.test.ts).
      expect((await api.request('GET', `/v1/videos/${id}`)).body.video_url).toBe(item.video_url);
      const preview2 = await api.request('GET', `/v1/studio/videos/${id}/preview`, {
        token: user.accessToken,
      });
      expect(preview2.status).toBe(200);
      expect(new URL(preview2.body.url).pathname).toContain(`/studio/previews/${id}/1/`);
      expect(preview2.body.expires_at).not.toBeNull();
    },
    TRANSCODE_TEST_TIMEOUT_MS,
  );

  it(
    'fits portrait phone video (rotation flag) into 720×1280 and keeps a silent one silent',
    async () => {
      const user = await registerUser(api);
      const file = await makeTestVideo({
        seconds: 1,
        width: 1920,
        height: 1080,
        rotate: 90,
        withAudio: false,
      });
      const id = await uploadVideo(api, media, user, file);
      const view = await ownView(user, id);
      expect(view).toMatchObject({ status: 'ready', width: 720, height: 1280 });
      const play = await fetchToFile(view.video_url, 'portrait.mp4');
      expect(await probeVideo(play.path)).toMatchObject({ width: 720, height: 1280, hasAudio: false });
    },
    TRANSCODE_TEST_TIMEOUT_MS,
  );

  it.each(['hlg', 'pq'] as const)(
    'tone-maps %s HDR (10-bit HEVC, BT.2020) to an SDR BT.709 rendition with its colours, not washed out',
    async (hdr) => {
      const user = await registerUser(api);
      // Red, as an SDR camera records it (0xC02020) and as an HDR phone would (reference white 203 cd/m²).
      const sdr = await averageColour(
        await makeTestVideo({ seconds: 1, width: 640, height: 360, colour: '0xC02020' }),
      );
      const file = await makeTestVideo({ seconds: 1, width: 640, height: 360, colour: '0xC02020', hdr });
      expect(await probeVideo(file)).toMatchObject({ videoCodec: 'hevc', hdr });
      // Shown as SDR without tone mapping, it is a dull brown: the problem this solves.
      const naive = await averageColour(file);
      expect(Math.max(...naive.map((c, i) => Math.abs(c - sdr[i]!)))).toBeGreaterThan(40);

      const id = await uploadVideo(api, media, user, file);
      const view = await ownView(user, id);
      const play = await fetchToFile(view.video_url, `${hdr}.mp4`);
      expect(await probeVideo(play.path)).toMatchObject({ videoCodec: 'h264', width: 640, height: 360 });
      expect(await colourTags(play.path)).toEqual({
        pix_fmt: 'yuv420p',
        color_space: 'bt709',
        color_transfer: 'bt709',
        color_primaries: 'bt709',
      });
      const poster = await fetchToFile(view.thumbnail_url, `${hdr}.jpg`);
      for (const shown of [await averageColour(play.path), await averageColour(poster.path)]) {
        expect(
          Math.max(...shown.map((c, i) => Math.abs(c - sdr[i]!))),
          `${shown} vs ${sdr}`,
        ).toBeLessThanOrEqual(16);
      }
    },
    TRANSCODE_TEST_TIMEOUT_MS,
  );

  it('leaves a small upload at its size (never upscaled)', async () => {
    const user = await registerUser(api);
    const id = await uploadClip(user, 1);
    const play = await fetchToFile((await ownView(user, id)).video_url, 'small.mp4');
    expect(await probeVideo(play.path)).toMatchObject({ width: 320, height: 240, videoCodec: 'h264' });
  });
});

describe('a PUT to the still-valid upload URL after the video is ready', () => {
  it.each([
    ['another video', () => makeTestVideo({ seconds: 2, width: 640, height: 480 })],
    ['junk', () => writeTextAsMp4()],
  ])(
    '(%s) never changes what is served: the event finds a finished video and empties the inbox',
    async (_label, swap) => {
      const user = await registerUser(api);
      const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
      const bytes = await readFile(file);
      const start = await api.request('POST', '/v1/videos/upload-url', {
        token: user.accessToken,
        body: { content_type: 'video/mp4', size_bytes: bytes.length },
      });
      expect(await putToUploadUrl(start.body.upload_url, bytes, 'video/mp4')).toBe(200);
      await media.invoker.idle();
      const id: string = start.body.video_id;
      const before = await videoRow(id);
      expect(before.status).toBe('ready');
      const served = sha256((await fetchToFile((await ownView(user, id)).video_url, 'before.mp4')).bytes);

      // The same presigned URL, new bytes: S3 stores them and sends the event to process-upload.
      expect(await putToUploadUrl(start.body.upload_url, await readFile(await swap()), 'video/mp4')).toBe(
        200,
      );
      await media.invoker.idle();

      expect(await headObject(before.source_key)).toBeNull();
      expect(await videoRow(id)).toEqual(before);
      const after = await ownView(user, id);
      expect(sha256((await fetchToFile(after.video_url, 'after.mp4')).bytes)).toBe(served);
      // The studio keeps working on the same rendition.
      const cut = await api.request('POST', `/v1/studio/videos/${id}/select-range`, {
        token: user.accessToken,
        body: { start_ms: 0, end_ms: 500 },
      });
      expect(cut.status).toBe(201);
      expect(media.invoker.deadLetters).toEqual([]);
    },
  );
});

describe('pixel budget', () => {
  it.each([
    [3842, 2160],
    [2160, 3842],
  ])('rejects a %i×%i source before transcoding it, with a clear reason', async (width, height) => {
    expect(width * height).toBeGreaterThan(MAX_SOURCE_PIXELS);
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 1, width, height, fps: 1, withAudio: false });
    const id = await uploadVideo(api, media, user, file);
    const row = await videoRow(id);
    expect(row).toMatchObject({ status: 'failed', playback_key: null, original_key: null });
    expect(row.failure_reason).toBe('The video is larger than 4K (3840×2160 pixels)');
    expect((await ownView(user, id)).failure_reason).toMatch(/4K/);
    expect(await headObject(row.source_key)).toBeNull();
    const keys = videoMediaKeys(id, row.media_rev, 'public');
    expect(await headObject(keys.playback)).toBeNull();
    expect(await headObject(originalKey(id, row.media_rev, 'video/mp4'))).toBeNull();
  });

  it(
    'accepts exactly 3840×2160 and plays it at 1280×720',
    async () => {
      const user = await registerUser(api);
      const file = await makeTestVideo({ seconds: 1, width: 3840, height: 2160, fps: 2, withAudio: false });
      const id = await uploadVideo(api, media, user, file);
      expect(await ownView(user, id)).toMatchObject({ status: 'ready', width: 1280, height: 720 });
    },
    TRANSCODE_TEST_TIMEOUT_MS,
  );
});

describe('private media', () => {
  it('are signed (never behind the CDN), the same URL within its window', async () => {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const id = await uploadVideo(api, media, user, file, { visibility: 'private' });
    // Only the clock of this process moves (signing reads it; S3 is not called while it is moved).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // 20 minutes into a 30-minute signing window (DOWNLOAD_URL_TTL_SECONDS 3600 / 2).
      vi.setSystemTime(new Date('2026-12-01T10:20:00Z'));
      // A token of that time (15 min), so it outlives the clock's jumps below.
      const login = await api.request('POST', '/v1/auth/login', {
        body: { email: user.email, password: user.password },
      });
      const owner = { ...user, accessToken: login.body.access_token as string };
      const view = await ownView(owner, id);
      const url = new URL(view.video_url);
      expect(url.pathname).toBe(`/${media.bucket}/private/${id}/1/play.mp4`);
      expect(url.searchParams.get('X-Amz-Date')).toBe('20261201T100000Z');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      expect(view.urls_expire_at).toBe('2026-12-01T11:00:00.000Z');
      expect(new URL(view.thumbnail_url).pathname).toBe(`/${media.bucket}/private/${id}/1/poster.jpg`);
      expect((await fetch(view.video_url)).status).toBe(200);
      // Nothing of it is under media/, so the CDN has nothing to give.
      expect((await fetch(`${api.url}/media/${id}/1/play.mp4`)).status).toBe(403);

      vi.setSystemTime(new Date('2026-12-01T10:29:59Z'));
      expect((await ownView(owner, id)).video_url).toBe(view.video_url);
      vi.setSystemTime(new Date('2026-12-01T10:30:00Z'));
      const next = await ownView(owner, id);
      expect(next.video_url).not.toBe(view.video_url);
      expect(new URL(next.video_url).searchParams.get('X-Amz-Date')).toBe('20261201T103000Z');
      expect(next.urls_expire_at).toBe('2026-12-01T11:30:00.000Z');
      // The previous window's URL still works until its own expiry, and not after.
      expect((await fetch(view.video_url)).status).toBe(200);
      vi.setSystemTime(new Date('2026-12-01T11:00:01Z'));
      expect((await fetch(view.video_url)).status).toBe(403);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a visibility change moves the media to a new revision and retires the old one, CDN paths included', async () => {
    const user = await registerUser(api);
    const id = await uploadClip(user, 1);
    const publicView = await ownView(user, id);
    expect((await fetch(publicView.video_url)).status).toBe(200);
    const served = sha256((await fetchToFile(publicView.video_url, 'public.mp4')).bytes);

    const hidden = await api.request('PATCH', `/v1/videos/${id}`, {
      token: user.accessToken,
      body: { visibility: 'private' },
    });
    expect(hidden.status).toBe(200);
    expect(new URL(hidden.body.video_url).pathname).toBe(`/${media.bucket}/private/${id}/2/play.mp4`);
    expect(hidden.body.urls_expire_at).not.toBeNull();
    // A link shared while it was public stops working, at the origin and in the CDN.
    expect((await fetch(publicView.video_url)).status).toBe(403);
    expect(localInvalidations()).toContainEqual([`/media/${id}/*`]);
    const moved = await fetchToFile(hidden.body.video_url, 'private.mp4');
    expect(sha256(moved.bytes)).toBe(served);

    const shown = await api.request('PATCH', `/v1/videos/${id}`, {
      token: user.accessToken,
      body: { visibility: 'public' },
    });
    expect(shown.body.video_url).toBe(`${api.url}/media/${id}/3/play.mp4`);
    const back = await fetchToFile(shown.body.video_url, 'public-again.mp4');
    expect(back.res.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(sha256(back.bytes)).toBe(served);
    expect(await headObject(`private/${id}/2/play.mp4`)).toBeNull();
    expect((await videoRow(id)).media_rev).toBe(3);
  });
});

describe('removal', () => {
  it('deleting a video removes every object it had and invalidates its CDN paths', async () => {
    const user = await registerUser(api);
    const fan = await registerUser(api);
    const id = await uploadClip(user, 2);
    const view = await ownView(user, id);
    // Studio objects made from it, by its owner and by someone else.
    expect(
      (await api.request('GET', `/v1/studio/videos/${id}/timeline?count=4`, { token: user.accessToken }))
        .status,
    ).toBe(200);
    const cut = await api.request('POST', `/v1/studio/videos/${id}/select-range`, {
      token: fan.accessToken,
      body: { start_ms: 0, end_ms: 1000 },
    });
    expect(cut.status).toBe(201);
    const row = await videoRow(id);
    const [selection] = await getDb()
      .selectFrom('studio_selections')
      .select('clip_key')
      .where('video_id', '=', id)
      .execute();
    const keys = [
      ...Object.values(videoMediaKeys(id, 1, 'public')),
      row.original_key!,
      selection!.clip_key,
      ...allTimelineKeys(id).filter((k) => k.includes(`/${id}/4/`)),
    ];
    for (const key of keys) expect(await headObject(key), key).not.toBeNull();

    expect((await api.request('DELETE', `/v1/videos/${id}`, { token: user.accessToken })).status).toBe(204);
    for (const key of keys) expect(await headObject(key), key).toBeNull();
    expect(localInvalidations()).toContainEqual([`/media/${id}/*`]);
    expect((await fetch(view.video_url)).status).toBe(403);
  });
});

describe('videos from before media revisions', () => {
  it('are still served (signed) from their upload and thumbnail, and a late event leaves them alone', async () => {
    const user = await registerUser(api);
    const bytes = await readFile(await makeTestVideo({ seconds: 1, width: 320, height: 240 }));
    // A ready video counts in its owner's video_count (the whole-database invariants check it).
    const row = await getDb()
      .transaction()
      .execute(async (trx) => {
        const inserted = await trx
          .insertInto('videos')
          .values({
            owner_id: user.id,
            status: 'ready',
            source_key: `uploads/${user.id}/legacy-${Date.now()}.mp4`,
            thumbnail_key: `thumbnails/legacy-${Date.now()}.jpg`,
            content_type: 'video/mp4',
            duration_ms: 1000,
            width: 320,
            height: 240,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await adjustUserVideoCount(trx, user.id, 1);
        return inserted;
      });
    const s3 = await s3Client();
    await s3.send(
      new PutObjectCommand({
        Bucket: media.bucket,
        Key: row.thumbnail_key!,
        Body: 'jpeg',
        ContentType: 'image/jpeg',
      }),
    );
    // Written the way the old pipeline left it; its event reaches process-upload like any other.
    await s3.send(
      new PutObjectCommand({
        Bucket: media.bucket,
        Key: row.source_key,
        Body: bytes,
        ContentType: 'video/mp4',
      }),
    );
    await media.invoker.idle();

    expect(await videoRow(row.id)).toEqual(row);
    const view = await ownView(user, row.id);
    expect(new URL(view.video_url).pathname).toBe(`/${media.bucket}/${row.source_key}`);
    expect(new URL(view.thumbnail_url).pathname).toBe(`/${media.bucket}/${row.thumbnail_key}`);
    expect(view.preview_url).toBeNull();
    expect(view.urls_expire_at).not.toBeNull();
    const played = await fetch(view.video_url);
    expect(sha256(new Uint8Array(await played.arrayBuffer()))).toBe(sha256(bytes));
  });
});
