import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as dispatcher } from '../../../functions/workers/ai-dispatcher.ts';
import { handler as reconciler } from '../../../functions/workers/reconciler.ts';
import { resetReplicateClient } from '../../../shared/ai/replicate.ts';
import { generateWebhookSecret, signWebhook } from '../../../shared/ai/webhook-signature.ts';
import { resetEnvCache } from '../../../shared/config/env.ts';
import { getDb } from '../../../shared/db/client.ts';
import { ledgerMatchesBalance, selectRange, uploadCharacterImage } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { lambdaContext, sampleEvent } from '../../harness/events.ts';
import { registerUser, type TestUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';

const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

let source: { id: string; creator: TestUser } | undefined;

/** One shared source video (uploading and probing it is the slow part). */
async function sourceVideo() {
  if (!source) {
    const creator = await registerUser(api);
    const id = await uploadVideo(
      api,
      media,
      creator,
      await makeTestVideo({ seconds: 3, width: 320, height: 240 }),
    );
    source = { id, creator };
  }
  return source;
}

async function requestGlitch(user: TestUser) {
  const { id } = await sourceVideo();
  const selectionId = await selectRange(api, user, id, 0, 1500);
  const characterId = await uploadCharacterImage(api, user);
  const res = await api.request('POST', '/v1/ai/glitch/animate', {
    token: user.accessToken,
    body: { source_video_id: id, selection_id: selectionId, character_image_id: characterId },
  });
  expect(res.status).toBe(202);
  return res.body.id as string;
}

const job = (id: string) =>
  getDb().selectFrom('ai_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function postWebhook(body: string, headers: Record<string, string>, jobId?: string) {
  return api.request('POST', `/v1/webhooks/replicate${jobId ? `?job_id=${jobId}` : ''}`, {
    raw: body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function signed(body: string, opts: { secret?: string; id?: string; timestamp?: number } = {}) {
  const webhookId = opts.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook({
      secret: opts.secret ?? ai.standIn.webhookSecret,
      webhookId,
      timestamp,
      rawBody: body,
    }),
  };
}

function succeededBody(predictionId: string, output = 'https://example.invalid/out.mp4') {
  const sample = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../fixtures/replicate/prediction-succeeded.json'), 'utf8'),
  );
  return JSON.stringify({ ...sample, id: predictionId, status: 'succeeded', output });
}

describe('webhooks that must change nothing', () => {
  it('forged, stale, body-modified and unsigned deliveries get 401; a replay is a harmless duplicate', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.dropWebhooks = true;
    const jobId = await requestGlitch(user);
    await ai.settle();
    ai.standIn.faults.dropWebhooks = false;
    const before = await job(jobId);
    expect(before.status).toBe('starting');
    const body = succeededBody(before.prediction_id!);

    const forged = await postWebhook(body, signed(body, { secret: generateWebhookSecret() }), jobId);
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('invalid_signature');
    const stale = await postWebhook(
      body,
      signed(body, { timestamp: Math.floor(Date.now() / 1000) - 600 }),
      jobId,
    );
    expect(stale.status).toBe(401);
    const headers = signed(body);
    const modified = await postWebhook(body.replace('succeeded', 'failed'), headers, jobId);
    expect(modified.status).toBe(401);
    expect((await postWebhook(body, {}, jobId)).status).toBe(401);
    const after = await job(jobId);
    expect(after).toEqual(before);
    const deliveries = await getDb()
      .selectFrom('webhook_deliveries')
      .select('webhook_id')
      .where('prediction_id', '=', before.prediction_id!)
      .execute();
    expect(deliveries).toHaveLength(0);

    // A valid `processing` update, then its exact replay.
    const processing = JSON.stringify({ ...JSON.parse(body), status: 'processing', output: null });
    const replayHeaders = signed(processing);
    expect((await postWebhook(processing, replayHeaders, jobId)).body).toEqual({ status: 'advanced' });
    expect((await postWebhook(processing, replayHeaders, jobId)).body).toEqual({ status: 'duplicate' });
    expect((await job(jobId)).status).toBe('processing');

    // An unknown prediction is acknowledged and ignored.
    const unknown = succeededBody('no-such-prediction');
    expect((await postWebhook(unknown, signed(unknown))).body).toEqual({ status: 'unknown' });
  });

  it('`succeeded` twice, and `completed` before `start`, make one video and count once', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.duplicateWebhooks = true;
    ai.standIn.faults.reorderWebhooks = true;
    try {
      const jobId = await requestGlitch(user);
      await ai.settle();
      const row = await job(jobId);
      expect(row.status).toBe('succeeded');
      const videos = await getDb()
        .selectFrom('videos')
        .select(['id', 'status'])
        .where('ai_job_id', '=', jobId)
        .execute();
      expect(videos).toEqual([{ id: jobId, status: 'ready' }]);
      const links = await getDb()
        .selectFrom('video_glitches')
        .select('glitch_video_id')
        .where('glitch_video_id', '=', jobId)
        .execute();
      expect(links).toHaveLength(1);
    } finally {
      ai.standIn.faults.reset();
    }
    const { id } = await sourceVideo();
    const sourceRow = await getDb()
      .selectFrom('videos')
      .select('glitch_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const linkCount = await getDb()
      .selectFrom('video_glitches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source_video_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(sourceRow.glitch_count).toBe(linkCount.n);
  });
});

describe('Replicate misbehaving', () => {
  it('500 at create: the queue retries and the job still succeeds with one prediction', async () => {
    const user = await registerUser(api);
    const createsBefore = ai.standIn.createCount;
    ai.standIn.faults.serverErrorCreates(2);
    const jobId = await requestGlitch(user);
    await ai.settle();
    const row = await job(jobId);
    expect(row.status).toBe('succeeded');
    expect(row.attempts).toBe(3);
    expect(ai.standIn.createCount - createsBefore).toBe(1);
  });

  it('429 at create is retried the same way', async () => {
    const user = await registerUser(api);
    // More 429s than the client's own retries absorb, so the queue's redelivery must finish the job.
    ai.standIn.faults.rateLimitCreates(7, 0);
    const jobId = await requestGlitch(user);
    await ai.settle();
    ai.standIn.faults.reset();
    const row = await job(jobId);
    expect(row, JSON.stringify(row)).toMatchObject({ status: 'succeeded' });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });

  it('invalid input (422) fails the job and refunds it once', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.invalidInputNext(1);
    const jobId = await requestGlitch(user);
    await ai.settle();
    const row = await job(jobId);
    expect(row.status).toBe('failed');
    expect(row.error).toMatch(/rejected/);
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
  });

  it('a failed prediction, reported twice, refunds exactly once', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.failNextPredictions(1, 'CUDA out of memory');
    ai.standIn.faults.duplicateWebhooks = true;
    try {
      const jobId = await requestGlitch(user);
      await ai.settle();
      const row = await job(jobId);
      expect(row).toMatchObject({ status: 'failed', error: 'CUDA out of memory' });
    } finally {
      ai.standIn.faults.reset();
    }
    expect(await ledgerMatchesBalance(user.id)).toEqual({ balance: 100, ledger: 100 });
    const refunds = await getDb()
      .selectFrom('credit_ledger')
      .select('amount')
      .where('user_id', '=', user.id)
      .where('reason', '=', 'job_refund')
      .execute();
    expect(refunds).toEqual([{ amount: 30 }]);
  });

  it('never calling back: the reconciler polls the prediction and settles it', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.dropWebhooks = true;
    const jobId = await requestGlitch(user);
    await ai.settle();
    ai.standIn.faults.dropWebhooks = false;
    expect((await job(jobId)).status).toBe('starting');
    process.env.RECONCILE_RUNNING_AFTER_SECONDS = '0';
    resetEnvCache();
    try {
      const scheduled = sampleEvent<ScheduledEvent>('apigw-http-full.json');
      const counts = await reconciler({
        ...scheduled,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
      } as ScheduledEvent);
      expect(counts.settled).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.RECONCILE_RUNNING_AFTER_SECONDS;
      resetEnvCache();
    }
    await ai.settle();
    const row = await job(jobId);
    expect(row.status).toBe('succeeded');
    const video = await getDb()
      .selectFrom('videos')
      .select('status')
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(video.status).toBe('ready');
  });
});

describe('queue delivery', () => {
  it('SQS redelivering the same message never creates a second prediction', async () => {
    const user = await registerUser(api);
    ai.standIn.faults.delayMs = 500;
    const jobId = await requestGlitch(user);
    await ai.queue.idle();
    const createsAfterFirst = ai.standIn.createCount;
    const sample = sampleEvent<SQSEvent>('sqs-batch.json');
    const redelivery: SQSEvent = {
      Records: [{ ...sample.Records[0]!, body: JSON.stringify({ job_id: jobId }), messageId: 'redelivered' }],
    };
    const first = await dispatcher(redelivery, lambdaContext());
    const second = await dispatcher(redelivery, lambdaContext());
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(ai.standIn.createCount).toBe(createsAfterFirst);
    ai.standIn.faults.delayMs = 0;
    await ai.settle();
    expect((await job(jobId)).status).toBe('succeeded');
  });

  it('a `start` webhook that records the prediction before the dispatcher does: the job runs on, not canceled', async () => {
    const user = await registerUser(api);
    const standInBase = process.env.REPLICATE_BASE_URL!;
    let heldCreates = 0;
    // In front of the stand-in: a create's 201 is held until the prediction's own `start` webhook
    // has recorded it on the job (the race a busy dispatcher loses to the webhook Lambda).
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await fetch(`${standInBase}${req.url!.replace(/^\/v1/, '')}`, {
        method: req.method,
        headers: {
          authorization: String(req.headers.authorization ?? ''),
          'content-type': String(req.headers['content-type'] ?? 'application/json'),
        },
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const text = await upstream.text();
      if (req.method === 'POST' && upstream.status === 201) {
        const predictionId = JSON.parse(text).id as string;
        const recorded = () =>
          getDb()
            .selectFrom('ai_jobs')
            .select('id')
            .where('prediction_id', '=', predictionId)
            .executeTakeFirst();
        for (let i = 0; i < 400 && !(await recorded()); i++) await sleep(25);
        if (await recorded()) heldCreates++;
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const useReplicateAt = (url: string) => {
      process.env.REPLICATE_BASE_URL = url;
      resetEnvCache();
      resetReplicateClient();
    };
    useReplicateAt(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v1`);
    try {
      const jobId = await requestGlitch(user);
      await ai.settle();
      expect(heldCreates).toBe(1);
      expect(await job(jobId)).toMatchObject({ status: 'succeeded', error: null });
    } finally {
      useReplicateAt(standInBase);
      proxy.close();
    }
  });

  it('a poison message fails its batch item and ends in the dead-letter queue', async () => {
    const sample = sampleEvent<SQSEvent>('sqs-batch.json');
    const poison = { ...sample.Records[0]!, body: 'not json' };
    const fine = {
      ...sample.Records[1]!,
      body: JSON.stringify({ job_id: '6f1c0b57-8a2e-4a38-a6a5-0d6b3a1c9e11' }),
    };
    // Only the poison item is reported; the rest of the batch is acknowledged.
    const res = await dispatcher({ Records: [poison, fine] }, lambdaContext());
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    // A batch of nothing but poison fails as a whole (Lambda retries it, then the DLQ takes it).
    await expect(dispatcher({ Records: [poison] }, lambdaContext())).rejects.toThrow(/All records failed/);
    ai.queue.send('{"job_id": 42}');
    await ai.queue.idle();
    expect(ai.queue.deadLetters.map((d) => d.body)).toContain('{"job_id": 42}');
  });

  it('a job whose message was lost is re-enqueued by the reconciler; one that can never be sent is refunded', async () => {
    const user = await registerUser(api);
    const { id } = await sourceVideo();
    const selectionId = await selectRange(api, user, id, 0, 1000);
    const characterId = await uploadCharacterImage(api, user);
    // Write queued jobs as the API would, but without their messages.
    const lost = await getDb()
      .insertInto('ai_jobs')
      .values({
        user_id: user.id,
        kind: 'glitch_animate',
        cost: 0,
        model: 'wan-video/wan-2.2-animate-animation',
        source_video_id: id,
        selection_id: selectionId,
        input: JSON.stringify({
          clip_key: (
            await getDb()
              .selectFrom('studio_selections')
              .select('clip_key')
              .where('id', '=', selectionId)
              .executeTakeFirstOrThrow()
          ).clip_key,
          image_key: (
            await getDb()
              .selectFrom('media_assets')
              .select('object_key')
              .where('id', '=', characterId)
              .executeTakeFirstOrThrow()
          ).object_key,
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hopeless = await getDb()
      .insertInto('ai_jobs')
      .values({
        user_id: user.id,
        kind: 'music',
        cost: 0,
        model: 'minimax/music-1.5',
        input: '{}',
        attempts: 5,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    process.env.RECONCILE_QUEUED_AFTER_SECONDS = '0';
    resetEnvCache();
    try {
      const counts = await reconciler({} as ScheduledEvent);
      expect(counts.requeued).toBeGreaterThanOrEqual(1);
      expect(counts.gaveUp).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.RECONCILE_QUEUED_AFTER_SECONDS;
      resetEnvCache();
    }
    await ai.settle();
    expect((await job(lost.id)).status).toBe('succeeded');
    expect((await job(hopeless.id)).status).toBe('failed');
  });
});
