import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../../shared/media/probe.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { downloadUrl, fetchBytes } from './helpers.ts';

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
  file = await makeTestVideo({ seconds: 5, width: 320, height: 240 });
  videoId = await uploadVideo(api, media, owner, file);
  const video = await api.request('GET', `/v1/videos/${videoId}`);
  duration = video.body.duration_ms;
});

const preview = (query = '', token = viewer.accessToken) =>
  api.request('GET', `/v1/studio/videos/${videoId}/preview${query}`, { token });

describe('GET /v1/studio/videos/{id}/preview', () => {
  it('without a range: the whole video, as the CDN URL of its playback rendition', async () => {
    const res = await preview();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      video_id: videoId,
      duration_ms: duration,
      start_ms: 0,
      end_ms: duration,
    });
    // A public video's rendition: the URL the feed gives, which does not expire.
    expect(res.body.url).toBe((await api.request('GET', `/v1/videos/${videoId}`)).body.video_url);
    expect(res.body.expires_at).toBeNull();
    const played = await downloadUrl(res.body.url, 'preview.mp4');
    expect(await probeVideo(played)).toMatchObject({ videoCodec: 'h264', width: 320, height: 240 });
    expect(Buffer.from(await fetchBytes(res.body.url)).equals(await readFile(file))).toBe(false);
  });

  it("the owner's private video: a signed URL of its rendition, with its expiry", async () => {
    const hidden = await uploadVideo(api, media, owner, file, { visibility: 'private' });
    const res = await api.request('GET', `/v1/studio/videos/${hidden}/preview`, { token: owner.accessToken });
    expect(res.status).toBe(200);
    expect(new URL(res.body.url).pathname).toContain(`/private/${hidden}/1/play.mp4`);
    expect(new URL(res.body.url).searchParams.get('X-Amz-Signature')).toBeTruthy();
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());
    expect(await probeVideo(await downloadUrl(res.body.url, 'private.mp4'))).toMatchObject({
      videoCodec: 'h264',
    });
  });

  it('echoes a valid range (clients seek) and fills in a missing end or start', async () => {
    const both = await preview('?start_ms=1000&end_ms=3500');
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ start_ms: 1000, end_ms: 3500, duration_ms: duration });
    // No 10 s limit here, and the very end is allowed.
    expect((await preview(`?start_ms=0&end_ms=${duration}`)).body.end_ms).toBe(duration);
    expect((await preview('?start_ms=1200')).body).toMatchObject({ start_ms: 1200, end_ms: duration });
    expect((await preview('?end_ms=800')).body).toMatchObject({ start_ms: 0, end_ms: 800 });
    // A lone start exactly at the end leaves nothing to play.
    const atEnd = await preview(`?start_ms=${duration}`);
    expect(atEnd.status).toBe(422);
    expect(atEnd.body.error.code).toBe('range_outside_video');
  });

  it.each([
    ['end before start', '?start_ms=3000&end_ms=1000', 400, 'invalid_range'],
    ['an empty range', '?start_ms=2000&end_ms=2000', 400, 'invalid_range'],
    ['end 0', '?end_ms=0', 400, 'invalid_range'],
    ['a negative start', '?start_ms=-1&end_ms=1000', 400, 'validation_failed'],
    ['a fractional end', '?start_ms=0&end_ms=10.5', 400, 'validation_failed'],
    ['a word', '?start_ms=abc', 400, 'validation_failed'],
    ['an end past the video', '?start_ms=1000&end_ms=5600', 422, 'range_outside_video'],
    ['a lone start past the end', '?start_ms=6000', 422, 'range_outside_video'],
  ])('rejects %s', async (_label, query, status, code) => {
    const res = await preview(query);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});
