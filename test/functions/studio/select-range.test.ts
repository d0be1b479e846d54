import { readdir } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { probeVideo } from '../../../shared/media/index.ts';
import { selectionClipKey } from '../../../shared/storage/keys.ts';
import { deleteObjects } from '../../../shared/storage/s3.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTempDir, makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { downloadUrl, keyOfUrl, selectionsOf } from './helpers.ts';

// This file's own temp folder (the handlers run in this process), so leftover work folders can be
// counted without seeing other test files' ones.
const scratch = makeTempDir('lokiz-studio-scratch-');
process.env.TMPDIR = scratch;

const media = useLocalMedia();
const api = useApi();

let owner: TestUser;
let fiveSeconds: string;
let twelveSeconds: string;

beforeAll(async () => {
  owner = await registerUser(api);
  const [short, long] = await Promise.all([
    makeTestVideo({ seconds: 5, width: 320, height: 240 }),
    makeTestVideo({ seconds: 12, width: 160, height: 120, fps: 10 }),
  ]);
  fiveSeconds = await uploadVideo(api, media, owner, short);
  twelveSeconds = await uploadVideo(api, media, owner, long);
});

const selectRange = (videoId: string, body: unknown, token?: string) =>
  api.request('POST', `/v1/studio/videos/${videoId}/select-range`, { token, body });

const clipDirs = async () => (await readdir(scratch)).filter((name) => name.startsWith('lokiz-clip-'));

describe('POST /v1/studio/videos/{id}/select-range', () => {
  it("cuts 3 s of someone's public 5 s video into a clip the viewer owns", async () => {
    const viewer = await registerUser(api);
    const res = await selectRange(fiveSeconds, { start_ms: 1000, end_ms: 4000 }, viewer.accessToken);
    expect(res.status).toBe(201);
    const id: string = res.body.selection_id;
    expect(res.body).toMatchObject({
      video_id: fiveSeconds,
      start_ms: 1000,
      end_ms: 4000,
      duration_ms: 3000,
    });
    expect(Date.parse(res.body.expires_at)).toBeGreaterThan(Date.now());
    expect(keyOfUrl(res.body.clip_url)).toBe(selectionClipKey(id));

    const clip = await probeVideo(await downloadUrl(res.body.clip_url, 'clip.mp4'));
    expect(Math.abs(clip.durationMs - 3000)).toBeLessThan(150);
    expect(clip).toMatchObject({ width: 320, height: 240, hasAudio: true });

    const rows = await selectionsOf(viewer.id);
    expect(rows).toEqual([
      expect.objectContaining({
        id,
        user_id: viewer.id,
        video_id: fiveSeconds,
        start_ms: 1000,
        end_ms: 4000,
        clip_key: selectionClipKey(id),
      }),
    ]);
    expect(await clipDirs()).toEqual([]);

    // GET returns the same selection to its owner only.
    const mine = await api.request('GET', `/v1/studio/selections/${id}`, { token: viewer.accessToken });
    expect(mine.status).toBe(200);
    const { clip_url: _u, expires_at: _e, ...same } = res.body;
    expect(mine.body).toMatchObject(same);
    expect(keyOfUrl(mine.body.clip_url)).toBe(selectionClipKey(id));
    const notMine = await api.request('GET', `/v1/studio/selections/${id}`, { token: owner.accessToken });
    expect(notMine.status).toBe(404);
    const missing = await api.request('GET', '/v1/studio/selections/6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11', {
      token: viewer.accessToken,
    });
    expect(missing.status).toBe(404);
    expect((await api.request('GET', `/v1/studio/selections/${id}`)).status).toBe(401);
  });

  it('allows exactly 10 s but not 10.001 s (400 range_too_long, no row)', async () => {
    const user = await registerUser(api);
    const tooLong = await selectRange(twelveSeconds, { start_ms: 1000, end_ms: 11_001 }, user.accessToken);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe('range_too_long');
    const whole = await selectRange(twelveSeconds, { start_ms: 0, end_ms: 12_000 }, user.accessToken);
    expect(whole.status).toBe(400);
    expect(await selectionsOf(user.id)).toEqual([]);

    // The last 10 s, up to the very end.
    const { duration_ms: end } = (await api.request('GET', `/v1/videos/${twelveSeconds}`)).body;
    const ten = await selectRange(twelveSeconds, { start_ms: end - 10_000, end_ms: end }, user.accessToken);
    expect(ten.status).toBe(201);
    expect(ten.body.duration_ms).toBe(10_000);
    expect(await selectionsOf(user.id)).toHaveLength(1);
  });

  it.each([
    ['an end past the video', { start_ms: 4000, end_ms: 6000 }, 422, 'range_outside_video'],
    ['a range after the video', { start_ms: 7000, end_ms: 9000 }, 422, 'range_outside_video'],
    ['end before start', { start_ms: 3000, end_ms: 1000 }, 400, 'invalid_range'],
    ['an empty range', { start_ms: 2000, end_ms: 2000 }, 400, 'invalid_range'],
    ['a negative start', { start_ms: -500, end_ms: 1000 }, 400, 'validation_failed'],
    ['fractional ms', { start_ms: 0, end_ms: 1000.5 }, 400, 'validation_failed'],
    ['strings', { start_ms: '0', end_ms: '1000' }, 400, 'validation_failed'],
    ['a missing end', { start_ms: 0 }, 400, 'validation_failed'],
    [
      'an unknown field',
      { start_ms: 0, end_ms: 1000, clip_key: 'studio/clips/x.mp4' },
      400,
      'validation_failed',
    ],
  ])('rejects %s and stores nothing', async (_label, body, status, code) => {
    const user = await registerUser(api);
    const res = await selectRange(fiveSeconds, body, user.accessToken);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await selectionsOf(user.id)).toEqual([]);
  });

  it('requires sign-in and a JSON body', async () => {
    expect((await selectRange(fiveSeconds, { start_ms: 0, end_ms: 1000 })).status).toBe(401);
    const empty = await api.request('POST', `/v1/studio/videos/${fiveSeconds}/select-range`, {
      token: owner.accessToken,
    });
    expect(empty.status).toBe(400);
  });

  it('a failed cut stores no row and leaves no work folder', async () => {
    const user = await registerUser(api);
    const file = await makeTestVideo({ seconds: 2, width: 160, height: 120, withAudio: false });
    const videoId = await uploadVideo(api, media, owner, file);
    const { playback_key } = await getDb()
      .selectFrom('videos')
      .select('playback_key')
      .where('id', '=', videoId)
      .executeTakeFirstOrThrow();
    await deleteObjects([playback_key!]); // the download fails midway through the work
    const res = await selectRange(videoId, { start_ms: 0, end_ms: 1000 }, user.accessToken);
    expect(res.status).toBe(500);
    expect(await selectionsOf(user.id)).toEqual([]);
    expect(await clipDirs()).toEqual([]);
  });

  it('stops handing out a selection once its video is no longer visible to the caller', async () => {
    const viewer = await registerUser(api);
    const file = await makeTestVideo({ seconds: 2, width: 160, height: 120, withAudio: false });
    const videoId = await uploadVideo(api, media, owner, file);
    const res = await selectRange(videoId, { start_ms: 0, end_ms: 1000 }, viewer.accessToken);
    expect(res.status).toBe(201);
    const hide = await api.request('PATCH', `/v1/videos/${videoId}`, {
      token: owner.accessToken,
      body: { visibility: 'private' },
    });
    expect(hide.status).toBe(200);
    const gone = await api.request('GET', `/v1/studio/selections/${res.body.selection_id}`, {
      token: viewer.accessToken,
    });
    expect(gone.status).toBe(404);
  });
});
