import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertJob } from '../../shared/ai/repository.ts';
import { resetEnvCache } from '../../shared/config/env.ts';
import { getDb } from '../../shared/db/client.ts';
import { standInLabels } from '../../shared/local/rekognition-standin.ts';
import { resetRekognitionClient } from '../../shared/screening/rekognition.ts';
import { aiVideoKey } from '../../shared/storage/keys.ts';
import { headObject, uploadFile } from '../../shared/storage/s3.ts';
import { insertVideo } from '../../shared/videos/repository.ts';
import { ledgerMatchesBalance, setCredits, testJpeg } from '../harness/ai.ts';
import { registerUser, type TestUser } from '../harness/factories.ts';
import { useApi } from '../harness/http.ts';
import { makeTestVideo } from '../harness/media.ts';
import { useLocalMedia } from '../harness/media-stack.ts';
import { putToUploadUrl } from '../harness/videos.ts';
import { useInvariants } from '../reliability/harness.ts';
import { createUser } from '../social/fixtures.ts';

const media = useLocalMedia();
const api = useApi();
const invariants = useInvariants();
// Accepted jobs are canceled right away; nothing is dispatched.
delete process.env.AI_JOBS_QUEUE_URL;

let user: TestUser;
beforeAll(async () => {
  user = await registerUser(api);
  invariants.track(user.id);
  await setCredits(user.id, 100);
});

afterEach(() => {
  delete process.env.SCREENING_MIN_CONFIDENCE;
  resetEnvCache();
});

/** A real JPEG carrying stand-in markers in a comment segment (FF FE) right after its SOI. */
async function jpegWithComment(comment: string): Promise<Uint8Array> {
  const jpeg = await testJpeg();
  const text = Buffer.from(comment, 'latin1');
  const segment = Buffer.concat([
    Buffer.from([0xff, 0xfe, (text.length + 2) >> 8, (text.length + 2) & 0xff]),
    text,
  ]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

async function uploadImage(bytes: Uint8Array): Promise<string> {
  const res = await api.request('POST', '/v1/ai/character-images/upload-url', {
    token: user.accessToken,
    body: { content_type: 'image/jpeg', size_bytes: bytes.length },
  });
  expect(res.status).toBe(201);
  expect(await putToUploadUrl(res.body.upload_url, bytes, 'image/jpeg')).toBe(200);
  return res.body.asset_id;
}

const template = (imageId: string) =>
  api.request('POST', '/v1/ai/template', {
    token: user.accessToken,
    body: { image_asset_id: imageId, prompt: 'a trickster dance' },
  });

async function cancel(jobId: string) {
  expect((await api.request('POST', `/v1/ai/jobs/${jobId}/cancel`, { token: user.accessToken })).status).toBe(
    200,
  );
}

async function spendState() {
  const jobs = await getDb().selectFrom('ai_jobs').select('id').where('user_id', '=', user.id).execute();
  return { ...(await ledgerMatchesBalance(user.id)), jobs: jobs.length };
}

describe('the Rekognition stand-in rule', () => {
  it('reads markers (with confidence and parent) and saturated red, and nothing else', async () => {
    const plain = await testJpeg();
    expect(await standInLabels(plain)).toEqual([]);
    const marked = await jpegWithComment(
      'lokiz-moderation:Explicit Nudity; lokiz-moderation:Violence/Weapons:62.5;',
    );
    expect(await standInLabels(marked)).toEqual([
      { Name: 'Explicit Nudity', ParentName: '', Confidence: 99, TaxonomyLevel: 1 },
      { Name: 'Weapons', ParentName: 'Violence', Confidence: 62.5, TaxonomyLevel: 2 },
    ]);
    expect((await standInLabels(marked, 80)).map((l) => l.Name)).toEqual(['Explicit Nudity']);
  });
});

describe('character image screening, before any credit is spent', () => {
  it('refuses an explicit image with 422 image_rejected (no job, no spend), and remembers the verdict', async () => {
    const id = await uploadImage(await jpegWithComment('lokiz-moderation:Explicit Nudity:97.2;'));
    const before = await spendState();
    const res = await template(id);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'image_rejected',
      message: 'This image cannot be used: it was flagged as Explicit Nudity',
      details: { labels: [{ name: 'Explicit Nudity', parent: '', confidence: 97.2 }] },
    });
    expect(await spendState()).toEqual(before);
    const row = await getDb()
      .selectFrom('media_assets')
      .select(['screening', 'screening_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ screening: 'rejected', screening_reason: 'Explicit Nudity' });
    expect((await template(id)).body.error.code).toBe('image_rejected');
  });

  it('a violent label under its parent category is refused too', async () => {
    const id = await uploadImage(await jpegWithComment('lokiz-moderation:Violence/Graphic Violence:91;'));
    expect((await template(id)).body.error.message).toContain('Graphic Violence');
  });

  it('Rekognition unreachable: 503 screening_unavailable, nothing spent, the image not marked', async () => {
    const id = await uploadImage(await testJpeg());
    const endpoint = process.env.REKOGNITION_ENDPOINT;
    process.env.REKOGNITION_ENDPOINT = 'http://127.0.0.1:9';
    resetEnvCache();
    resetRekognitionClient();
    try {
      const before = await spendState();
      const res = await template(id);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('screening_unavailable');
      expect(await spendState()).toEqual(before);
    } finally {
      process.env.REKOGNITION_ENDPOINT = endpoint;
      resetEnvCache();
      resetRekognitionClient();
    }
    const row = await getDb()
      .selectFrom('media_assets')
      .select('screening')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.screening).toBeNull();
  });

  it('passes clean images, labels below SCREENING_MIN_CONFIDENCE and categories that are not refused', async () => {
    process.env.SCREENING_MIN_CONFIDENCE = '90';
    resetEnvCache();
    for (const comment of ['', 'lokiz-moderation:Explicit Nudity:85;', 'lokiz-moderation:Alcohol;']) {
      const id = await uploadImage(comment ? await jpegWithComment(comment) : await testJpeg());
      const res = await template(id);
      expect(res.status, comment).toBe(202);
      await cancel(res.body.id);
      const row = await getDb()
        .selectFrom('media_assets')
        .select('screening')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.screening).toBe('passed');
    }
  });
});

describe('AI output screening (poster frame)', () => {
  /** An AI job's output as settlement leaves it (job succeeded, video uploading), then its file lands. */
  async function aiOutput(owner: { id: string }, colour: string) {
    const jobId = randomUUID();
    const job = await insertJob(getDb(), {
      id: jobId,
      user_id: owner.id,
      kind: 'template',
      cost: 0,
      model: 'google/veo-3-fast',
      input: { prompt: 'screening test' },
    });
    await insertVideo(getDb(), {
      id: jobId,
      owner_id: owner.id,
      source_key: aiVideoKey(job),
      content_type: 'video/mp4',
      caption: `screened ${colour}`,
      origin: 'template',
      ai_job_id: jobId,
      ai_model: job.model,
    });
    await getDb()
      .updateTable('ai_jobs')
      .set({ status: 'succeeded', result_video_id: jobId })
      .where('id', '=', jobId)
      .execute();
    await uploadFile(
      aiVideoKey(job),
      await makeTestVideo({ seconds: 1, width: 320, height: 180, colour }),
      'video/mp4',
    );
    await media.invoker.idle();
    return jobId;
  }

  it('a flagged output is held: its owner sees it (status held), nobody else; a moderator publishes it', async () => {
    const owner = await createUser();
    invariants.track(owner.id);
    const videoId = await aiOutput(owner, 'red');
    const row = await getDb()
      .selectFrom('videos')
      .select(['status', 'failure_reason', 'visibility', 'media_rev', 'playback_key'])
      .where('id', '=', videoId)
      .executeTakeFirstOrThrow();
    // Screened from the poster's bytes before anything was stored: the first revision went straight
    // under private/ (not published and then moved), so no CDN path ever served it.
    expect(row).toEqual({
      status: 'held',
      failure_reason: 'held for review: Graphic Violence',
      visibility: 'public',
      media_rev: 1,
      playback_key: `private/${videoId}/1/play.mp4`,
    });
    for (const name of ['play.mp4', 'poster.jpg', 'preview.mp4']) {
      expect(await headObject(`media/${videoId}/1/${name}`), name).toBeNull();
      expect(await headObject(`private/${videoId}/1/${name}`), name).not.toBeNull();
    }
    // (CloudFront answers a missing key with S3's 403: Origin Access Control without ListBucket.)
    expect((await fetch(`${api.url}/media/${videoId}/1/play.mp4`)).status).toBe(403);
    // Its owner can watch it (signed URLs, not the CDN); everyone else gets 404.
    const own = await api.request('GET', `/v1/videos/${videoId}`, { token: owner.accessToken });
    expect(own.body).toMatchObject({ status: 'held', ai_generated: true, ai_model: 'google/veo-3-fast' });
    expect(own.body.urls_expire_at).not.toBeNull();
    expect(own.body.video_url).not.toContain('/media/');
    expect((await fetch(own.body.video_url)).status).toBe(200);
    expect((await api.request('GET', `/v1/videos/${videoId}`)).status).toBe(404);
    // Making it private and public again keeps its media private while it is held.
    for (const visibility of ['private', 'public']) {
      const changed = await api.request('PATCH', `/v1/videos/${videoId}`, {
        token: owner.accessToken,
        body: { visibility },
      });
      expect([changed.status, changed.body.status, changed.body.video_url]).toEqual([
        200,
        'held',
        expect.not.stringContaining('/media/'),
      ]);
    }
    expect(await headObject(`media/${videoId}/1/play.mp4`)).toBeNull();
    const feed = await api.request('GET', `/v1/users/${owner.id}/videos`);
    expect(feed.body.items).toEqual([]);
    const event = await getDb()
      .selectFrom('event_outbox')
      .select('data')
      .where('recipient_id', '=', owner.id)
      .where('type', '=', 'ai_job.updated')
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ job_id: videoId, status: 'succeeded', result: 'held' });

    const moderator = await createUser();
    await getDb().updateTable('users').set({ role: 'moderator' }).where('id', '=', moderator.id).execute();
    const release = await api.request('POST', `/v1/moderation/videos/${videoId}/release`, {
      token: moderator.accessToken,
      body: { reason: 'Stage blood in a film scene' },
    });
    expect(release.status).toBe(200);
    // Released: its media move onto the CDN as a new revision, and the held one is deleted.
    const published = await api.request('GET', `/v1/videos/${videoId}`);
    expect(published.body).toMatchObject({
      status: 'ready',
      ai_generated: true,
      ai_model: 'google/veo-3-fast',
      video_url: `${api.url}/media/${videoId}/2/play.mp4`,
      urls_expire_at: null,
    });
    expect((await fetch(published.body.video_url)).status).toBe(200);
    expect(await headObject(`private/${videoId}/1/play.mp4`)).toBeNull();
  });

  /** A held output of a new owner's, a moderator's actions on it, and where its media are served from. */
  async function heldOutputUnderReview() {
    const owner = await createUser();
    invariants.track(owner.id);
    const videoId = await aiOutput(owner, 'red');
    const moderator = await createUser();
    await getDb().updateTable('users').set({ role: 'moderator' }).where('id', '=', moderator.id).execute();
    const act = async (action: 'take-down' | 'restore' | 'release') => {
      const res = await api.request('POST', `/v1/moderation/videos/${videoId}/${action}`, {
        token: moderator.accessToken,
        body: { reason: 'Under review' },
      });
      expect(res.status, action).toBe(200);
    };
    const served = () =>
      getDb()
        .selectFrom('videos')
        .select(['status', 'playback_key'])
        .where('id', '=', videoId)
        .executeTakeFirstOrThrow();
    return { videoId, act, served };
  }

  it('a held output a moderator took down stays private when it is released, until it is restored', async () => {
    const { videoId, act, served } = await heldOutputUnderReview();
    await act('take-down');
    await act('release');
    expect(await served()).toEqual({ status: 'ready', playback_key: `private/${videoId}/1/play.mp4` });
    expect((await api.request('GET', `/v1/videos/${videoId}`)).status).toBe(404);
    await act('restore');
    expect(await served()).toEqual({ status: 'ready', playback_key: `media/${videoId}/2/play.mp4` });
    expect((await api.request('GET', `/v1/videos/${videoId}`)).body.status).toBe('ready');
  });

  it('a held output restored from a takedown stays held and private', async () => {
    const { videoId, act, served } = await heldOutputUnderReview();
    await act('take-down');
    await act('restore');
    expect(await served()).toEqual({ status: 'held', playback_key: `private/${videoId}/1/play.mp4` });
    expect((await api.request('GET', `/v1/videos/${videoId}`)).status).toBe(404);
  });

  it('a clean output is published', async () => {
    const owner = await createUser();
    invariants.track(owner.id);
    const videoId = await aiOutput(owner, 'blue');
    const published = await api.request('GET', `/v1/videos/${videoId}`);
    expect(published.body).toMatchObject({
      status: 'ready',
      video_url: `${api.url}/media/${videoId}/1/play.mp4`,
    });
  });
});
