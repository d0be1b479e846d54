import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { probeVideo } from '../../../shared/media/probe.ts';
import { rangePreviewKey } from '../../../shared/storage/keys.ts';
import { deleteObjects, headObject } from '../../../shared/storage/s3.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo, topLevelBoxes } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { downloadUrl, fetchBytes, keyOfUrl, objectVersion } from './helpers.ts';

const media = useLocalMedia();
const api = useApi();

let owner: TestUser;
let viewer: TestUser;
let file: string;
let videoId: string;
let duration: number;

beforeAll(async () => {
  owner = await registerUser(api);
  viewer = await registerUser(api);
  // Longer than a preview can be, so the default range is the first 10 s.
  file = await makeTestVideo({ seconds: 12, width: 640, height: 480 });
  videoId = await uploadVideo(api, media, owner, file);
  const video = await api.request('GET', `/v1/videos/${videoId}`);
  duration = video.body.duration_ms;
});

const preview = (query = '', token = viewer.accessToken, id = videoId) =>
  api.request('GET', `/v1/studio/videos/${id}/preview${query}`, { token });

const previewRow = (start: number, end: number, id = videoId) =>
  getDb()
    .selectFrom('studio_previews')
    .selectAll()
    .where('video_id', '=', id)
    .where('start_ms', '=', start)
    .where('end_ms', '=', end)
    .execute();

describe('GET /v1/studio/videos/{id}/preview', () => {
  it('is a 360 px, fast-start proxy clip of exactly the range, signed, cut from the rendition', async () => {
    const res = await preview('?start_ms=1000&end_ms=3500');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      video_id: videoId,
      duration_ms: duration,
      start_ms: 1000,
      end_ms: 3500,
      width: 360,
      height: 270,
    });
    expect(keyOfUrl(res.body.url)).toBe(rangePreviewKey(videoId, 1, 1000, 3500));
    expect(new URL(res.body.url).searchParams.get('X-Amz-Signature')).toBeTruthy();
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());

    const bytes = await fetchBytes(res.body.url);
    const boxes = topLevelBoxes(bytes);
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const clip = await probeVideo(await downloadUrl(res.body.url, 'range.mp4'));
    expect(clip).toMatchObject({ videoCodec: 'h264', width: 360, height: 270, hasAudio: true });
    // Exactly the range, to within a frame or two (and the audio's priming).
    expect(Math.abs(clip.durationMs - 2500)).toBeLessThanOrEqual(100);
    expect(res.body.clip_duration_ms).toBe(clip.durationMs);
    expect(bytes.length).toBeLessThan(1_000_000);
  });

  it('is made once per (video, revision, range): a repeat serves the same object', async () => {
    const first = await preview('?start_ms=2000&end_ms=4000');
    const key = keyOfUrl(first.body.url);
    const version = await objectVersion(key);
    const second = await preview('?start_ms=2000&end_ms=4000', owner.accessToken);
    expect(second.status).toBe(200);
    expect(keyOfUrl(second.body.url)).toBe(key);
    expect(await objectVersion(key)).toEqual(version);
    expect(await previewRow(2000, 4000)).toMatchObject([{ status: 'ready', runs: 1, clip_key: key }]);
    // Another range is another clip.
    const other = await preview('?start_ms=2000&end_ms=4500');
    expect(keyOfUrl(other.body.url)).toBe(rangePreviewKey(videoId, 1, 2000, 4500));
  });

  it('makes a hot cold range once: concurrent requests wait for the one ffmpeg run', async () => {
    const all = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        preview('?start_ms=5000&end_ms=9000', i % 2 ? owner.accessToken : undefined),
      ),
    );
    expect(all.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(all.map((r) => keyOfUrl(r.body.url))).size).toBe(1);
    // One claim, one ffmpeg run: the others found the row taken and waited for `ready`.
    expect(await previewRow(5000, 9000)).toMatchObject([{ status: 'ready', runs: 1 }]);
  });

  it('takes over a range whose maker died (its lease ran out)', async () => {
    await getDb()
      .insertInto('studio_previews')
      .values({
        video_id: videoId,
        media_rev: 1,
        start_ms: 0,
        end_ms: 1500,
        status: 'making',
        clip_key: rangePreviewKey(videoId, 1, 0, 1500),
        lease_until: sql<Date>`now() - interval '1 second'`,
      })
      .execute();
    const res = await preview('?start_ms=0&end_ms=1500');
    expect(res.status).toBe(200);
    expect(await headObject(keyOfUrl(res.body.url))).not.toBeNull();
    expect(await previewRow(0, 1500)).toMatchObject([{ status: 'ready', runs: 2 }]);
  });

  it('defaults to the first 10 s, or 10 s from the start, and never past the end', async () => {
    expect((await preview()).body).toMatchObject({ start_ms: 0, end_ms: 10_000 });
    expect((await preview('?start_ms=6000')).body).toMatchObject({ start_ms: 6000, end_ms: duration });
    expect((await preview('?end_ms=800')).body).toMatchObject({ start_ms: 0, end_ms: 800 });
    const atEnd = await preview(`?start_ms=${duration}`);
    expect(atEnd.status).toBe(422);
    expect(atEnd.body.error.code).toBe('range_outside_video');
  });

  it('reads only the rendition: with the original gone, cold previews and strips still work', async () => {
    const id = await uploadVideo(
      api,
      media,
      owner,
      await makeTestVideo({ seconds: 3, width: 320, height: 240 }),
    );
    const row = await getDb()
      .selectFrom('videos')
      .select(['original_key', 'playback_key'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await deleteObjects([row.original_key!]);
    const clip = await preview('?start_ms=500&end_ms=2000', owner.accessToken, id);
    expect(clip.status).toBe(200);
    const strip = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=4`, {
      token: owner.accessToken,
    });
    expect(strip.status).toBe(200);
    // And without the rendition, a cold range has nothing to be cut from.
    await deleteObjects([row.playback_key!]);
    expect((await preview('?start_ms=0&end_ms=1000', owner.accessToken, id)).status).toBeGreaterThanOrEqual(
      500,
    );
    expect(await previewRow(0, 1000, id)).toEqual([]);
  });

  it("the owner's private video: a signed clip of its private rendition; others get 404", async () => {
    const hidden = await uploadVideo(api, media, owner, file, { visibility: 'private' });
    const res = await preview('?start_ms=0&end_ms=2000', owner.accessToken, hidden);
    expect(res.status).toBe(200);
    expect(keyOfUrl(res.body.url)).toBe(rangePreviewKey(hidden, 1, 0, 2000));
    expect((await preview('?start_ms=0&end_ms=2000', viewer.accessToken, hidden)).status).toBe(404);
  });

  it('deleting the video removes its previews', async () => {
    const id = await uploadVideo(
      api,
      media,
      owner,
      await makeTestVideo({ seconds: 3, width: 320, height: 240 }),
    );
    const res = await preview('?start_ms=0&end_ms=2000', owner.accessToken, id);
    const key = keyOfUrl(res.body.url);
    expect(await headObject(key)).not.toBeNull();
    expect((await api.request('DELETE', `/v1/videos/${id}`, { token: owner.accessToken })).status).toBe(204);
    expect(await headObject(key)).toBeNull();
  });

  it.each([
    ['end before start', '?start_ms=3000&end_ms=1000', 400, 'invalid_range'],
    ['an empty range', '?start_ms=2000&end_ms=2000', 400, 'invalid_range'],
    ['end 0', '?end_ms=0', 400, 'invalid_range'],
    ['more than 10 s', '?start_ms=0&end_ms=10001', 400, 'range_too_long'],
    ['a lone end past 10 s', '?end_ms=11000', 400, 'range_too_long'],
    ['a negative start', '?start_ms=-1&end_ms=1000', 400, 'validation_failed'],
    ['a fractional end', '?start_ms=0&end_ms=10.5', 400, 'validation_failed'],
    ['a word', '?start_ms=abc', 400, 'validation_failed'],
    ['an end past the video', '?start_ms=9000&end_ms=12600', 422, 'range_outside_video'],
    ['a lone start past the end', '?start_ms=13000', 422, 'range_outside_video'],
  ])('rejects %s', async (_label, query, status, code) => {
    const res = await preview(query);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});
