import type { ScheduledEvent } from 'aws-lambda';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as reconciler } from '../../../functions/workers/reconciler.ts';
import { getDb } from '../../../shared/db/client.ts';
import { probeVideo } from '../../../shared/media/probe.ts';
import { localInvalidations } from '../../../shared/storage/cdn.ts';
import { videoCdnPaths, videoMediaKeys } from '../../../shared/storage/keys.ts';
import { headObject, uploadBytes } from '../../../shared/storage/s3.ts';
import { MAX_MUSIC_BYTES } from '../../../shared/studio/request-soundtrack.ts';
import { soundtrackFingerprint } from '../../../shared/studio/soundtrack-rules.ts';
import { ledgerMatchesBalance } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { downloadUrl, meanVolumeDb } from './helpers.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

let owner: TestUser;
let stranger: TestUser;
let clip: string;
let musicJobId: string;

/** A music job through the queue, the stand-in (a 3 s arpeggio) and the webhook. */
async function makeMusic(user: TestUser): Promise<string> {
  const res = await api.request('POST', '/v1/ai/music', {
    token: user.accessToken,
    body: { prompt: 'a cheeky synth riff' },
  });
  expect(res.status).toBe(202);
  await ai.settle();
  return res.body.id;
}

beforeAll(async () => {
  owner = await registerUser(api);
  stranger = await registerUser(api);
  // 5 s with a 440 Hz tone: the video's own sound.
  clip = await makeTestVideo({ seconds: 5, width: 480, height: 270 });
  musicJobId = await makeMusic(owner);
});

const addMusic = (videoId: string, body: Record<string, unknown>, user = owner) =>
  api.request('POST', `/v1/studio/videos/${videoId}/music`, { token: user.accessToken, body });
const getVideo = async (id: string, user = owner) =>
  (await api.request('GET', `/v1/videos/${id}`, { token: user.accessToken })).body;
const videoRow = (id: string) =>
  getDb().selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const soundtracksOf = (videoId: string) =>
  getDb().selectFrom('video_soundtracks').selectAll().where('video_id', '=', videoId).execute();
const credits = async (user: TestUser) =>
  (await api.request('GET', '/v1/auth/me', { token: user.accessToken })).body.credits as number;

describe('POST /v1/studio/videos/{id}/music', () => {
  it('replaces the sound from an offset as a new revision, served once ready; the old one is retired', async () => {
    const id = await uploadVideo(api, media, owner, clip);
    const before = await getVideo(id);
    expect(before.video_url).toBe(`${api.url}/media/${id}/1/play.mp4`);
    const balance = await credits(owner);

    const res = await addMusic(id, { music_job_id: musicJobId, mode: 'replace', offset_ms: 1000 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      video_id: id,
      music_job_id: musicJobId,
      mode: 'replace',
      music_start_ms: 0,
      offset_ms: 1000,
      music_volume: 1,
      original_volume: null,
      status: 'queued',
      media_rev: null,
    });
    // The whole track (the stand-in's is 3 s, give or take the MP3's padding).
    expect(Math.abs(res.body.music_end_ms - 3000)).toBeLessThanOrEqual(100);
    // Until the new revision is ready, the old one is what everyone gets, and it plays.
    expect((await getVideo(id)).video_url).toBe(before.video_url);
    expect((await fetch(before.video_url)).status).toBe(200);

    await media.idle();
    const done = await api.request('GET', `/v1/studio/soundtracks/${res.body.id}`, {
      token: owner.accessToken,
    });
    expect(done.body).toMatchObject({ status: 'ready', media_rev: 2, error: null });
    const after = await getVideo(id);
    expect(after).toMatchObject({
      video_url: `${api.url}/media/${id}/2/play.mp4`,
      thumbnail_url: `${api.url}/media/${id}/2/poster.jpg`,
      preview_url: `${api.url}/media/${id}/2/preview.mp4`,
      urls_expire_at: null,
      ai_generated: false,
      music: {
        job_id: musicJobId,
        model: 'minimax/music-1.5',
        licence: expect.stringContaining('MiniMax'),
        licence_url: 'https://replicate.com/minimax/music-1.5',
      },
    });
    // The old revision is gone from the bucket and from the CDN's caches.
    for (const key of Object.values(videoMediaKeys(id, 1, 'public')))
      expect(await headObject(key)).toBeNull();
    expect(localInvalidations()).toContainEqual(videoCdnPaths(id));

    // The sound: silence before the offset (the tone is gone), the music after it, silence after the music.
    const played = await downloadUrl(after.video_url, 'replaced.mp4');
    const probe = await probeVideo(played);
    expect(probe).toMatchObject({ videoCodec: 'h264', width: 480, height: 270, hasAudio: true });
    expect(Math.abs(probe.durationMs - before.duration_ms)).toBeLessThanOrEqual(100);
    expect(await meanVolumeDb(played, 0, 900)).toBeLessThan(-60);
    expect(await meanVolumeDb(played, 1200, 3800)).toBeGreaterThan(-35);
    expect(await meanVolumeDb(played, 4200, 4900)).toBeLessThan(-60);

    // No credits: the music job already paid.
    expect(await credits(owner)).toBe(balance);
    expect(await ledgerMatchesBalance(owner.id)).toEqual({ balance, ledger: balance });
  });

  it("mixes the music under the video's own sound, a volume for each", async () => {
    const id = await uploadVideo(api, media, owner, clip);
    const original = await downloadUrl((await getVideo(id)).video_url, 'original.mp4');
    const res = await addMusic(id, {
      music_job_id: musicJobId,
      mode: 'mix',
      music_start_ms: 500,
      music_end_ms: 2500,
      offset_ms: 2000,
      music_volume: 1,
      original_volume: 0.5,
    });
    expect(res.status).toBe(202);
    await media.idle();
    const mixed = await downloadUrl((await getVideo(id)).video_url, 'mixed.mp4');
    // Before the music: the tone at half its amplitude (−6 dB).
    const toneDb = await meanVolumeDb(original, 200, 1800);
    expect(Math.abs((await meanVolumeDb(mixed, 200, 1800)) - (toneDb - 6))).toBeLessThan(1.5);
    // With it: louder than the tone alone at half.
    expect(await meanVolumeDb(mixed, 2300, 3800)).toBeGreaterThan(toneDb - 4);
  });

  it('is idempotent: the same key or the same parameters make no second revision', async () => {
    const id = await uploadVideo(api, media, owner, clip);
    const body = { music_job_id: musicJobId, mode: 'replace', idempotency_key: `retry-${id}` };
    const burst = await Promise.all(Array.from({ length: 5 }, () => addMusic(id, body)));
    expect(burst.map((r) => r.status)).toEqual(Array(5).fill(202));
    expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
    await media.idle();
    expect((await videoRow(id)).media_rev).toBe(2);

    // Retried after it finished: with the key, and without it (the same parameters).
    const again = await addMusic(id, body);
    expect(again.body).toMatchObject({ id: burst[0]!.body.id, status: 'ready', media_rev: 2 });
    const { idempotency_key: _, ...sameWithoutKey } = body;
    expect((await addMusic(id, sameWithoutKey)).body.id).toBe(burst[0]!.body.id);
    await media.idle();
    expect((await videoRow(id)).media_rev).toBe(2);
    expect(await soundtracksOf(id)).toHaveLength(1);

    // The key again for something else: refused, nothing made.
    const reused = await addMusic(id, { ...body, mode: 'mix' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    // Something else without a key is a new request: a new revision.
    const other = await addMusic(id, { music_job_id: musicJobId, mode: 'mix', original_volume: 0.2 });
    expect(other.status).toBe(202);
    expect(other.body.id).not.toBe(burst[0]!.body.id);
    await media.idle();
    expect((await getVideo(id)).video_url).toBe(`${api.url}/media/${id}/3/play.mp4`);
    expect(await soundtracksOf(id)).toHaveLength(2);
  });

  it("a private video's new revision stays private: signed URLs under private/", async () => {
    const id = await uploadVideo(api, media, owner, clip, { visibility: 'private' });
    expect((await addMusic(id, { music_job_id: musicJobId, mode: 'replace' })).status).toBe(202);
    await media.idle();
    const after = await getVideo(id);
    expect(new URL(after.video_url).pathname).toContain(`/private/${id}/2/play.mp4`);
    expect(after.urls_expire_at).not.toBeNull();
    expect((await fetch(after.video_url)).status).toBe(200);
    expect(await headObject(videoMediaKeys(id, 1, 'private').playback)).toBeNull();
  });

  it('one request per video at a time: a different one meanwhile is 409', async () => {
    const id = await uploadVideo(api, media, owner, clip);
    // A request a worker is still on (its lease is live).
    const busy = {
      user_id: owner.id,
      video_id: id,
      music_job_id: musicJobId,
      mode: 'replace' as const,
      music_start_ms: 0,
      music_end_ms: 3000,
      offset_ms: 0,
      music_volume: 1,
      fingerprint: soundtrackFingerprint(id, { music_job_id: musicJobId, mode: 'replace', offset_ms: 0 }),
      status: 'processing' as const,
      lease_until: sql<Date>`now() + interval '1 minute'`,
    };
    const row = await getDb()
      .insertInto('video_soundtracks')
      .values(busy)
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await addMusic(id, { music_job_id: musicJobId, mode: 'mix' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'soundtrack_in_progress',
      details: { soundtrack_id: row.id },
    });
    // The same parameters as the open one are that one.
    expect((await addMusic(id, { music_job_id: musicJobId, mode: 'replace' })).body.id).toBe(row.id);
    await getDb()
      .updateTable('video_soundtracks')
      .set({ status: 'failed' })
      .where('id', '=', row.id)
      .execute();
  });

  it('the reconciler re-sends a request whose message was lost', async () => {
    const id = await uploadVideo(api, media, owner, clip);
    const lost = await getDb()
      .insertInto('video_soundtracks')
      .values({
        user_id: owner.id,
        video_id: id,
        music_job_id: musicJobId,
        mode: 'replace',
        music_start_ms: 0,
        music_end_ms: 3000,
        offset_ms: 0,
        music_volume: 1,
        fingerprint: 'lost-message',
        updated_at: sql<Date>`now() - interval '10 minutes'`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await reconciler({} as ScheduledEvent);
    await media.idle();
    expect(await soundtracksOf(id)).toMatchObject([
      { id: lost.id, status: 'ready', media_rev: 2, attempts: 1 },
    ]);
    expect((await getVideo(id)).video_url).toBe(`${api.url}/media/${id}/2/play.mp4`);
  });
});

describe('POST /v1/studio/videos/{id}/music refuses, leaving nothing behind', () => {
  let videoId: string;
  beforeAll(async () => {
    videoId = await uploadVideo(api, media, owner, clip);
  });

  it.each([
    ['a segment over 60 s', { music_start_ms: 1000, music_end_ms: 61_001 }, 400, 'segment_too_long'],
    [
      'a segment ending before it starts',
      { music_start_ms: 2000, music_end_ms: 1000 },
      400,
      'invalid_segment',
    ],
    ['a segment past the music', { music_start_ms: 1000, music_end_ms: 3500 }, 422, 'segment_outside_music'],
    ['a start past the music', { music_start_ms: 3500 }, 422, 'segment_outside_music'],
    ['an offset past the video', { offset_ms: 6000 }, 422, 'offset_outside_video'],
    ['a volume over 2', { music_volume: 2.5 }, 400, 'validation_failed'],
    ['a negative offset', { offset_ms: -1 }, 400, 'validation_failed'],
    ["the original's volume when replacing it", { original_volume: 0.5 }, 400, 'validation_failed'],
    ['an unknown mode', { mode: 'overdub' }, 400, 'validation_failed'],
    ['a key with a control character', { idempotency_key: 'retry\u0007' }, 400, 'validation_failed'],
    [
      'a music job that does not exist',
      { music_job_id: '00000000-0000-4000-8000-000000000000' },
      404,
      'not_found',
    ],
  ])('%s', async (_label, change, status, code) => {
    const res = await addMusic(videoId, { music_job_id: musicJobId, mode: 'replace', ...change });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it("someone else's music job (404) or video (404, public or not); a video still uploading (409)", async () => {
    const theirs = await makeMusic(stranger);
    expect((await addMusic(videoId, { music_job_id: theirs, mode: 'replace' })).status).toBe(404);
    const strangerVideo = await uploadVideo(api, media, stranger, clip);
    const res = await addMusic(strangerVideo, { music_job_id: theirs, mode: 'replace' }, owner);
    expect(res.status).toBe(404);
    const pending = await api.request('POST', '/v1/videos/upload-url', {
      token: owner.accessToken,
      body: { content_type: 'video/mp4', size_bytes: 1000 },
    });
    const notReady = await addMusic(pending.body.video_id, { music_job_id: musicJobId, mode: 'replace' });
    expect(notReady.status).toBe(409);
    expect(notReady.body.error.code).toBe('video_not_ready');
    expect(await soundtracksOf(strangerVideo)).toEqual([]);
  });

  it('music that is not finished (running or failed) is 409; a job that made no music is 422', async () => {
    ai.standIn.faults.delayMs = 60_000;
    const running = await api.request('POST', '/v1/ai/music', {
      token: owner.accessToken,
      body: { prompt: 'still composing' },
    });
    const res = await addMusic(videoId, { music_job_id: running.body.id, mode: 'replace' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('music_not_ready');
    await api.request('POST', `/v1/ai/jobs/${running.body.id}/cancel`, { token: owner.accessToken });
    ai.standIn.faults.reset();

    ai.standIn.faults.failNextPredictions(1);
    const failed = await makeMusic(owner);
    expect(
      (await api.request('GET', `/v1/ai/jobs/${failed}`, { token: owner.accessToken })).body.status,
    ).toBe('failed');
    expect((await addMusic(videoId, { music_job_id: failed, mode: 'replace' })).body.error.code).toBe(
      'music_not_ready',
    );

    // A template job of mine: a video, not music.
    const frame = await api.request('POST', '/v1/ai/capture-frame', {
      token: owner.accessToken,
      body: { video_id: videoId, at_ms: 1000 },
    });
    const template = await api.request('POST', '/v1/ai/template', {
      token: owner.accessToken,
      body: { image_asset_id: frame.body.asset_id, prompt: 'make it sparkle' },
    });
    await ai.settle();
    const notMusic = await addMusic(videoId, { music_job_id: template.body.id, mode: 'replace' });
    expect(notMusic.status).toBe(422);
    expect(notMusic.body.error.code).toBe('not_music');
  });

  it('a music file over 50 MB, or one that is not audio, is 422 music_unusable', async () => {
    const assetOf = async (jobId: string) => {
      const job = await getDb()
        .selectFrom('ai_jobs')
        .select('result_asset_id')
        .where('id', '=', jobId)
        .executeTakeFirstOrThrow();
      return getDb()
        .selectFrom('media_assets')
        .selectAll()
        .where('id', '=', job.result_asset_id!)
        .executeTakeFirstOrThrow();
    };
    // A model output recorded as bigger than any song of a few minutes: refused before it is downloaded.
    const huge = await makeMusic(owner);
    await getDb()
      .updateTable('media_assets')
      .set({ size_bytes: MAX_MUSIC_BYTES + 1 })
      .where('id', '=', (await assetOf(huge)).id)
      .execute();
    const tooBig = await addMusic(videoId, { music_job_id: huge, mode: 'replace' });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body.error).toMatchObject({
      code: 'music_unusable',
      details: { max_bytes: MAX_MUSIC_BYTES },
    });

    // A hostile or broken output: bytes that are no audio at all.
    const broken = await makeMusic(owner);
    const asset = await assetOf(broken);
    await uploadBytes(
      asset.object_key,
      new TextEncoder().encode('#EXTM3U\nfile:///etc/passwd\n'),
      'audio/mpeg',
    );
    const unreadable = await addMusic(videoId, { music_job_id: broken, mode: 'replace' });
    expect(unreadable.status).toBe(422);
    expect(unreadable.body.error.code).toBe('music_unusable');
  });

  it('left the video as it was', async () => {
    expect(await soundtracksOf(videoId)).toEqual([]);
    expect(await videoRow(videoId)).toMatchObject({ media_rev: 1, music_job_id: null });
  });
});
