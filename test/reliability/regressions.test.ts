import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../shared/db/client.ts';
import { ffmpegPath } from '../../shared/media/binaries.ts';
import { runBinary } from '../../shared/media/run.ts';
import { registerUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { makeTempDir, makeTestVideo } from '../harness/media.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { uploadVideo } from '../harness/videos.ts';
import { useInvariants } from './harness.ts';

/**
 * Regression guards for product bugs the reliability suite found (both fixed): timeline frames
 * past the last picture, and a valid token whose account is gone.
 */
const media = useLocalMedia();
const api = useApi();
const invariants = useInvariants();

/** 4 s of picture, 8 s of sound: the container (and so videos.duration_ms) says 8 s. */
async function clipWithLongerAudio(): Promise<string> {
  const out = join(makeTempDir(), 'picture-4s-audio-8s.mp4');
  await runBinary(
    ffmpegPath(),
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=4'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=8'],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-movflags',
        '+faststart',
      ],
      out,
    ],
    { timeoutMs: 60_000 },
  );
  return out;
}

describe('studio timeline positions come from the container duration, not the last picture', () => {
  // captureTimelineFrames (shared/media/thumbnail-strip.ts) seeks to (i + 0.5) * duration_ms / count.
  // duration_ms is the container's duration (probe.ts), which is the longest stream: when the audio
  // outlasts the picture, or the last slice's middle falls after the last frame's timestamp
  // (duration < 2 * count / fps, e.g. a 1 s clip at 30 fps with count=20), ffmpeg writes no frame,
  // MediaProcessError('no_output') escapes the handler, and the route answers 500 on every call
  // (nothing is cached). capture-frame and select-range handle the same positions (201 / 422).
  it('a clip whose sound outlasts its picture gets its timeline (200, not 500)', async () => {
    const user = await registerUser(api);
    invariants.track(user.id);
    const id = await uploadVideo(api, media, user, await clipWithLongerAudio());
    const res = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=4`, {
      token: user.accessToken,
    });
    expect(res.status, res.text).toBe(200);
  });

  it('a 1 s clip at 30 fps gets a 20-frame timeline (200, not 500)', async () => {
    const user = await registerUser(api);
    invariants.track(user.id);
    const clip = await makeTestVideo({ seconds: 1, width: 320, height: 240, fps: 30 });
    const id = await uploadVideo(api, media, user, clip);
    const ten = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=10`, {
      token: user.accessToken,
    });
    expect(ten.status).toBe(200);
    const twenty = await api.request('GET', `/v1/studio/videos/${id}/timeline?count=20`, {
      token: user.accessToken,
    });
    expect(twenty.status, twenty.text).toBe(200);
  });
});

describe('a valid token of a deleted account', () => {
  // authenticate() (shared/http/request.ts) verifies the JWT only; the account is looked up by
  // /v1/auth/me alone. A route that inserts a row referencing users.id then fails with a
  // foreign-key violation (23503), which the error middleware does not map: an opaque 500.
  // Expected: 401 (the account is gone), as /v1/auth/me already answers.
  it('gets 401, not 500, where the route writes a row for the caller', async () => {
    const owner = await registerUser(api);
    const ghost = await registerUser(api);
    invariants.track(owner.id);
    const clip = await makeTestVideo({ seconds: 1, width: 320, height: 240 });
    const video = await uploadVideo(api, media, owner, clip);
    await getDb().deleteFrom('users').where('id', '=', ghost.id).execute();
    const token = ghost.accessToken;
    const calls = await Promise.all([
      api.request('POST', `/v1/likes/videos/${video}`, { token }),
      api.request('POST', `/v1/comments/videos/${video}`, { token, body: { body: 'boo' } }),
      api.request('POST', '/v1/videos/upload-url', {
        token,
        body: { content_type: 'video/mp4', size_bytes: 1000 },
      }),
      api.request('POST', '/v1/ai/character-images/upload-url', {
        token,
        body: { content_type: 'image/jpeg', size_bytes: 1000 },
      }),
      api.request('POST', '/v1/ai/music', { token, body: { prompt: 'a ghostly tune' } }),
      api.request('POST', '/v1/ai/capture-frame', { token, body: { video_id: video, at_ms: 100 } }),
      api.request('POST', `/v1/studio/videos/${video}/select-range`, {
        token,
        body: { start_ms: 0, end_ms: 500 },
      }),
    ]);
    expect(calls.map((c) => c.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
  });
});
