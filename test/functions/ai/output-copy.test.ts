import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../shared/ai/webhook-signature.ts';
import { getDb } from '../../../shared/db/client.ts';
import { selectRange, uploadCharacterImage } from '../../harness/ai.ts';
import { useLocalAi } from '../../harness/ai-stack.ts';
import { registerUser } from '../../harness/factories.ts';
import { useApi } from '../../harness/http.ts';
import { makeTestVideo } from '../../harness/media.ts';
import { useLocalMedia } from '../../harness/media-stack.ts';
import { uploadVideo } from '../../harness/videos.ts';

/**
 * The webhook verifies, records and answers; copying the model's output into our bucket happens
 * off the request, in the output-copier (SQS), idempotently.
 */
const media = useLocalMedia();
const api = useApi();
const ai = useLocalAi(api, media);

/** Serves the model output only once released: a download inside the webhook would hang it. */
let output: Server;
let outputUrl: string;
let held: ServerResponse[] = [];
let released = false;
let downloads = 0;
let clip: Buffer;

beforeAll(async () => {
  clip = await readFile(await makeTestVideo({ seconds: 1, width: 160, height: 120 }));
  output = createServer((_req: IncomingMessage, res: ServerResponse) => {
    downloads++;
    if (released) res.end(clip);
    else held.push(res);
  });
  await new Promise<void>((resolve) => output.listen(0, '127.0.0.1', resolve));
  outputUrl = `http://127.0.0.1:${(output.address() as AddressInfo).port}/out.mp4`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  output?.closeAllConnections();
  await new Promise((resolve) => output?.close(resolve));
});

function release(): void {
  released = true;
  for (const res of held) res.end(clip);
  held = [];
}

async function startedGlitch(): Promise<{ jobId: string; predictionId: string }> {
  const creator = await registerUser(api);
  const sourceId = await uploadVideo(
    api,
    media,
    creator,
    await makeTestVideo({ seconds: 2, width: 160, height: 120 }),
  );
  const user = await registerUser(api);
  const selectionId = await selectRange(api, user, sourceId, 0, 1000);
  const characterId = await uploadCharacterImage(api, user);
  ai.standIn.faults.dropWebhooks = true;
  try {
    const res = await api.request('POST', '/v1/ai/glitch/animate', {
      token: user.accessToken,
      body: { source_video_id: sourceId, selection_id: selectionId, character_image_id: characterId },
    });
    expect(res.status, res.text).toBe(202);
    await ai.settle();
    const job = await getDb()
      .selectFrom('ai_jobs')
      .select('prediction_id')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    return { jobId: res.body.id, predictionId: job.prediction_id! };
  } finally {
    ai.standIn.faults.dropWebhooks = false;
  }
}

async function deliverSucceeded(predictionId: string, jobId: string) {
  const sample = JSON.parse(
    await readFile(join(import.meta.dirname, '../../fixtures/replicate/prediction-succeeded.json'), 'utf8'),
  );
  const body = JSON.stringify({ ...sample, id: predictionId, status: 'succeeded', output: outputUrl });
  const webhookId = `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return api.request('POST', `/v1/webhooks/replicate?job_id=${jobId}`, {
    raw: body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook({
        secret: ai.standIn.webhookSecret,
        webhookId,
        timestamp,
        rawBody: body,
      }),
    },
  });
}

const videoStatus = async (id: string) =>
  (await getDb().selectFrom('videos').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('webhook → output-copier', () => {
  it('answers before the output is downloaded; the copier stores it; redelivered copies copy once', async () => {
    const { jobId, predictionId } = await startedGlitch();
    const res = await deliverSucceeded(predictionId, jobId);
    // The output server has answered nothing yet: the webhook did not wait for a download.
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'succeeded' });
    expect(await videoStatus(jobId)).toBe('uploading');

    release();
    await ai.settle();
    expect(await videoStatus(jobId)).toBe('ready');
    const copies = downloads;
    expect(copies).toBeGreaterThanOrEqual(1);

    // At-least-once delivery: the same message twice more, and the webhook's own retry.
    ai.outputs.send(JSON.stringify({ job_id: jobId }));
    ai.outputs.send(JSON.stringify({ job_id: jobId }));
    expect((await deliverSucceeded(predictionId, jobId)).body).toEqual({ status: 'ignored' });
    await ai.settle();
    expect(downloads).toBe(copies);
    const videos = await getDb().selectFrom('videos').select('id').where('ai_job_id', '=', jobId).execute();
    expect(videos).toHaveLength(1);
  });

  it('sends an unreadable copy message to the dead-letter queue', async () => {
    ai.outputs.send('{"job_id": 42}');
    await ai.settle();
    expect(ai.outputs.deadLetters.map((d) => d.body)).toContain('{"job_id": 42}');
  });
});
