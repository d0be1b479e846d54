import { describe, expect, it } from 'vitest';
import { getDb } from '../../../shared/db/client.ts';
import { probeVideo } from '../../../shared/media/probe.ts';
import { headObject } from '../../../shared/storage/s3.ts';
import { ledgerMatchesBalance } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';
import { downloadUrl, fetchBytes, isJpeg } from './helpers.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

/** The studio's template path as a client drives it: a ready upload, a captured frame, a template job. */
async function startTemplate(maker: TestUser, caption: string) {
  const uploadId = await uploadVideo(
    api,
    media,
    maker,
    await makeTestVideo({ seconds: 3, width: 640, height: 360 }),
  );
  const upload = await api.request('GET', `/v1/videos/${uploadId}`, { token: maker.accessToken });
  expect(upload.body).toMatchObject({ status: 'ready', ai_generated: false, ai_model: null });

  const frame = await api.request('POST', '/v1/ai/capture-frame', {
    token: maker.accessToken,
    body: { video_id: uploadId, at_ms: 1500 },
  });
  expect(frame.status).toBe(201);
  expect(frame.body).toMatchObject({ credits_spent: 0, width: 640, height: 360 });
  expect(isJpeg(await fetchBytes(frame.body.url))).toBe(true);

  const job = await api.request('POST', '/v1/ai/template', {
    token: maker.accessToken,
    body: { image_asset_id: frame.body.asset_id, prompt: 'neon trickster, dreamy zoom', caption },
  });
  expect(job.status).toBe(202);
  expect(job.body).toMatchObject({ kind: 'template', status: 'queued', cost: 20 });
  return { uploadId, jobId: job.body.id as string };
}

const ledgerOf = (jobId: string) =>
  getDb()
    .selectFrom('credit_ledger')
    .select(['amount', 'reason'])
    .where('job_id', '=', jobId)
    .orderBy('id')
    .execute();
const credits = async (user: TestUser) =>
  (await api.request('GET', '/v1/auth/me', { token: user.accessToken })).body.credits as number;

describe('the template path, end to end', () => {
  it('upload → frame → template through the queue, the model and the webhook → a labelled video in the feed, 20 credits', async () => {
    const maker = await registerUser(api);
    const { jobId } = await startTemplate(maker, 'my #template');
    expect(await credits(maker)).toBe(80);

    await ai.settle();

    const job = await api.request('GET', `/v1/ai/jobs/${jobId}`, { token: maker.accessToken });
    expect(job.body).toMatchObject({ status: 'succeeded', result_video_status: 'ready', error: null });
    const videoId: string = job.body.result_video_id;
    const video = await api.request('GET', `/v1/videos/${videoId}`);
    expect(video.status).toBe(200);
    expect(video.body).toMatchObject({
      status: 'ready',
      origin: 'template',
      ai_generated: true,
      ai_model: 'google/veo-3-fast',
      music: null,
      owner: { id: maker.id },
      caption: 'my #template',
      glitch_of: null,
      // Through the upload pipeline like any upload: revision 1 of its rendition, poster and preview.
      video_url: `${api.url}/media/${videoId}/1/play.mp4`,
      thumbnail_url: `${api.url}/media/${videoId}/1/poster.jpg`,
      preview_url: `${api.url}/media/${videoId}/1/preview.mp4`,
    });
    const rendition = await probeVideo(await downloadUrl(video.body.video_url, 'template.mp4'));
    expect(rendition).toMatchObject({ videoCodec: 'h264' });
    // The stand-in's 9:16 output (270×480): the rendition keeps it (never upscaled).
    expect(rendition.height).toBeGreaterThan(rendition.width);
    expect(rendition.durationMs).toBeGreaterThan(0);
    expect(isJpeg(await fetchBytes(video.body.thumbnail_url))).toBe(true);
    expect(await headObject(`uploads/${maker.id}/${jobId}.mp4`)).toBeNull();

    const feed = await api.request('GET', `/v1/videos?user_id=${maker.id}`);
    expect(feed.body.items[0]).toMatchObject({
      id: videoId,
      ai_generated: true,
      ai_model: 'google/veo-3-fast',
    });
    const everyone = await api.request('GET', '/v1/videos?limit=50');
    expect(everyone.body.items.map((v: { id: string }) => v.id)).toContain(videoId);

    expect(await credits(maker)).toBe(80);
    expect(await ledgerOf(jobId)).toEqual([{ amount: -20, reason: 'job_spend' }]);
    expect(await ledgerMatchesBalance(maker.id)).toEqual({ balance: 80, ledger: 80 });
    // One prediction, settled by its signed webhook (recorded by webhook-id), not by polling.
    expect(ai.standIn.createCount).toBe(1);
    const row = await getDb()
      .selectFrom('ai_jobs')
      .select('prediction_id')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    const deliveries = await getDb()
      .selectFrom('webhook_deliveries')
      .select('status')
      .where('prediction_id', '=', row.prediction_id!)
      .execute();
    expect(deliveries.map((d) => d.status)).toContain('succeeded');
  });

  it('a template the model fails is refunded exactly once, even with the webhook delivered twice', async () => {
    const maker = await registerUser(api);
    ai.standIn.faults.failNextPredictions(1, 'offline stand-in: the model crashed');
    ai.standIn.faults.duplicateWebhooks = true;
    try {
      const { jobId } = await startTemplate(maker, 'doomed');
      expect(await credits(maker)).toBe(80);
      await ai.settle();

      const job = await api.request('GET', `/v1/ai/jobs/${jobId}`, { token: maker.accessToken });
      expect(job.body).toMatchObject({
        status: 'failed',
        result_video_id: null,
        error: expect.stringContaining('the model crashed'),
      });
      expect(await credits(maker)).toBe(100);
      expect(await ledgerOf(jobId)).toEqual([
        { amount: -20, reason: 'job_spend' },
        { amount: 20, reason: 'job_refund' },
      ]);
      // No video came of it: only the upload is in the maker's feed.
      const feed = await api.request('GET', `/v1/videos?user_id=${maker.id}`);
      expect(feed.body.items.map((v: { origin: string }) => v.origin)).toEqual(['upload']);
      expect(await ledgerMatchesBalance(maker.id)).toEqual({ balance: 100, ledger: 100 });
    } finally {
      ai.standIn.faults.reset();
    }
  });
});
