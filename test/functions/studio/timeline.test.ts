import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { timelineFrameKey, timelineManifestKey } from '../../../shared/storage/keys.ts';
import { deleteObjects, headObject } from '../../../shared/storage/s3.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { fetchBytes, isJpeg, keyOfUrl, objectVersion } from './helpers.ts';

const media = useLocalMedia();
const api = useApi();

interface Frame {
  at_ms: number;
  url: string;
}

describe('GET /v1/studio/videos/{id}/timeline', () => {
  it('makes an evenly spaced strip of real JPEGs once, then serves it from S3 without ffmpeg', async () => {
    const owner = await registerUser(api);
    const file = await makeTestVideo({ seconds: 5, width: 320, height: 240 });
    const id = await uploadVideo(api, media, owner, file);
    const viewer = await registerUser(api);

    const first = await api.request('GET', `/v1/studio/videos/${id}/timeline`, { token: viewer.accessToken });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ video_id: id, width: 320, height: 240 });
    const duration: number = first.body.duration_ms;
    expect(Math.abs(duration - 5000)).toBeLessThan(150);
    expect(Date.parse(first.body.expires_at)).toBeGreaterThan(Date.now());

    const frames: Frame[] = first.body.frames;
    expect(frames).toHaveLength(10);
    // Frame i sits in the middle of the i-th tenth: evenly spaced, never at 0 or at the very end.
    frames.forEach((f, i) => {
      expect(Math.abs(f.at_ms - ((i + 0.5) * duration) / 10)).toBeLessThanOrEqual(1);
    });
    const gaps = frames.slice(1).map((f, i) => f.at_ms - frames[i]!.at_ms);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);

    const keys = frames.map((f) => keyOfUrl(f.url));
    expect(keys).toEqual(frames.map((_, i) => timelineFrameKey(id, 10, i)));
    for (const f of frames) expect(isJpeg(await fetchBytes(f.url))).toBe(true);

    const manifestKey = timelineManifestKey(id, 10);
    expect(await headObject(manifestKey)).not.toBeNull();
    const before = await Promise.all([manifestKey, ...keys].map(objectVersion));

    // With the rendition gone from S3, only the cached strip can answer (ffmpeg would have nothing to read).
    const video = await getDb()
      .selectFrom('videos')
      .select('playback_key')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    await deleteObjects([video.playback_key!]);

    const second = await api.request('GET', `/v1/studio/videos/${id}/timeline`, { token: owner.accessToken });
    expect(second.status).toBe(200);
    const again: Frame[] = second.body.frames;
    expect(again.map((f) => f.at_ms)).toEqual(frames.map((f) => f.at_ms));
    expect(again.map((f) => keyOfUrl(f.url))).toEqual(keys);
    expect(isJpeg(await fetchBytes(again[0]!.url))).toBe(true);
    // Nothing was written again.
    expect(await Promise.all([manifestKey, ...keys].map(objectVersion))).toEqual(before);
  });

  it('honours ?count (4..20) with a strip of its own, and rejects other counts', async () => {
    const owner = await registerUser(api);
    const file = await makeTestVideo({ seconds: 2, width: 320, height: 240, withAudio: false });
    const id = await uploadVideo(api, media, owner, file, { visibility: 'private' });

    // The owner may use their own private video.
    const four = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=4`, {
      token: owner.accessToken,
    });
    expect(four.status).toBe(200);
    const frames: Frame[] = four.body.frames;
    expect(frames.map((f) => keyOfUrl(f.url))).toEqual([0, 1, 2, 3].map((i) => timelineFrameKey(id, 4, i)));
    expect(await headObject(timelineManifestKey(id, 4))).not.toBeNull();
    expect(await headObject(timelineManifestKey(id, 10))).toBeNull();

    for (const count of ['3', '21', '7.5', 'ten', '']) {
      const res = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=${count}`, {
        token: owner.accessToken,
      });
      expect(res.status, `count=${count}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
