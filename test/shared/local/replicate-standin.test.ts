import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import Replicate, { type Prediction } from 'replicate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  type VerifiedWebhook,
  verifyWebhookSignature,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from '../../../shared/ai/webhook-signature.ts';
import {
  LOG_PREFIX,
  ReplicateStandIn,
  type StandInPrediction,
} from '../../../shared/local/replicate-standin/index.ts';
import { ffmpegPath } from '../../../shared/media/binaries.ts';
import { runBinary } from '../../../shared/media/run.ts';
import { makeTempDir, makeTestVideo } from '../../harness/media.ts';

// ---------------------------------------------------------------- fixtures: input media, webhook receiver

interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: StandInPrediction;
  verdict: VerifiedWebhook | WebhookSignatureFailure;
  /** What the receiver answered. */
  status: number;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const secret = generateWebhookSecret();
const logLines: string[] = [];
const standIn = new ReplicateStandIn({
  webhookSecret: secret,
  log: (line) => logLines.push(line),
  listPageSize: 3,
  webhookRetry: { attempts: 4, initialDelayMs: 20 },
});
let replicate: Replicate;
let mediaUrl: string;
let webhookUrl: string;
let mediaServer: Server;
let receiver: Server;
const received: ReceivedWebhook[] = [];
/** The receiver answers 500 to this many next deliveries (after recording them). */
let receiverFailures = 0;

beforeAll(async () => {
  const dir = makeTempDir('replicate-standin-test-');
  const video = await makeTestVideo({ seconds: 2, width: 320, height: 240 });
  const jpeg = join(dir, 'character.jpg');
  await runBinary(ffmpegPath(), [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', jpeg],
  ]);
  const files: Record<string, { bytes: Buffer; type: string }> = {
    '/video.mp4': { bytes: await readFile(video), type: 'video/mp4' },
    '/character.jpg': { bytes: await readFile(jpeg), type: 'image/jpeg' },
  };
  mediaServer = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': file.type }).end(file.bytes);
  });
  mediaUrl = await listen(mediaServer);

  // Like the real webhook endpoint: verify the exact raw body, 401 on a bad signature.
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let verdict: ReceivedWebhook['verdict'];
    try {
      verdict = verifyWebhookSignature({ secret, headers: req.headers, rawBody });
    } catch (err) {
      if (!(err instanceof WebhookSignatureError)) throw err;
      verdict = err.reason;
    }
    let status = typeof verdict === 'string' ? 401 : 204;
    if (receiverFailures > 0) {
      receiverFailures -= 1;
      status = 500;
    }
    received.push({ headers: req.headers, rawBody, body: JSON.parse(rawBody), verdict, status });
    res.writeHead(status).end();
  });
  webhookUrl = `${await listen(receiver)}/webhooks/replicate`;

  const { url } = await standIn.start();
  replicate = new Replicate({ auth: 'r8_offline-test-token', baseUrl: `${url}/v1` });
});

afterEach(async () => {
  await standIn.idle();
  standIn.faults.reset();
  receiverFailures = 0;
});

afterAll(async () => {
  await standIn.close();
  if (mediaServer) await closeServer(mediaServer);
  if (receiver) await closeServer(receiver);
});

// ---------------------------------------------------------------- helpers

const webhooksFor = (id: string) => received.filter((w) => w.body.id === id);
const wanInput = () => ({ video: `${mediaUrl}/video.mp4`, character_image: `${mediaUrl}/character.jpg` });

async function outputBytes(prediction: Prediction): Promise<Buffer> {
  expect(typeof prediction.output).toBe('string');
  const response = await fetch(prediction.output as string);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}
const isMp4 = (bytes: Buffer) => bytes.subarray(4, 8).toString('latin1') === 'ftyp';
const isMp3 = (bytes: Buffer) =>
  bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);

/** The ApiError the client throws (the class itself is not exported at runtime). */
async function apiError(promise: Promise<unknown>): Promise<Error & { response: Response }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).name).toBe('ApiError');
  return err as Error & { response: Response };
}

const createAttempts = () =>
  standIn.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/predictions'));

// ---------------------------------------------------------------- tests

describe('offline Replicate stand-in with the real replicate client', () => {
  it('runs every model family: starting → processing → succeeded, real media, signed webhooks', async () => {
    const created = await Promise.all([
      replicate.predictions.create({
        model: 'wan-video/wan-2.2-animate-animation',
        input: { ...wanInput(), frames_per_second: 12, merge_audio: true },
        webhook: webhookUrl,
      }),
      replicate.predictions.create({
        model: 'wan-video/wan-2.2-animate-replace',
        input: { ...wanInput(), resolution: '480' },
        webhook: webhookUrl,
      }),
      replicate.predictions.create({
        model: 'google/veo-3-fast',
        input: {
          prompt: 'a trickster fox',
          image: `${mediaUrl}/character.jpg`,
          aspect_ratio: '9:16',
          duration: 8,
        },
        webhook: webhookUrl,
      }),
      replicate.predictions.create({
        model: 'google/veo-3-fast',
        input: { prompt: 'no start frame', generate_audio: false },
        webhook: webhookUrl,
      }),
      replicate.predictions.create({
        model: 'minimax/music-1.5',
        input: { prompt: 'lofi beat', lyrics: 'la la la' },
        webhook: webhookUrl,
      }),
    ]);
    for (const p of created) {
      expect(p.status).toBe('starting');
      expect(p.id).toMatch(/^[a-z2-7]{26}$/);
      expect(p.version).toMatch(/^[0-9a-f]{64}$/);
      expect(p.output).toBeNull();
      expect(p.urls.get).toBe(`${standIn.url}/v1/predictions/${p.id}`);
      expect(p).toMatchObject({ error: null, data_removed: false, started_at: null, completed_at: null });
    }
    expect(created.map((p) => p.model)).toEqual([
      'wan-video/wan-2.2-animate-animation',
      'wan-video/wan-2.2-animate-replace',
      'google/veo-3-fast',
      'google/veo-3-fast',
      'minimax/music-1.5',
    ]);

    await standIn.idle();
    for (const [i, p] of created.entries()) {
      const done = await replicate.predictions.get(p.id);
      expect(done.status, String(done.error)).toBe('succeeded');
      expect(done.started_at).toEqual(expect.any(String));
      expect(done.completed_at).toEqual(expect.any(String));
      expect(done.metrics?.predict_time).toEqual(expect.any(Number));
      expect(done.logs).toContain('offline stand-in');
      expect(done.output).toMatch(new RegExp(`^${standIn.url}/files/`));
      const bytes = await outputBytes(done);
      expect(i < 4 ? isMp4(bytes) : isMp3(bytes)).toBe(true);

      // start (processing) then completed (succeeded), both correctly signed, distinct webhook ids.
      const hooks = webhooksFor(p.id);
      expect(hooks.map((w) => [w.body.status, w.status])).toEqual([
        ['processing', 204],
        ['succeeded', 204],
      ]);
      expect(hooks.every((w) => typeof w.verdict === 'object')).toBe(true);
      expect(hooks[0]!.headers['webhook-id']).not.toBe(hooks[1]!.headers['webhook-id']);
      expect(hooks[1]!.headers['content-type']).toBe('application/json');
      expect(hooks[1]!.body).toEqual(done);
    }
    expect(standIn.createCount).toBeGreaterThanOrEqual(5);
  });

  it('creates by version, honours webhook_events_filter, and supports Prefer: wait (replicate.run)', async () => {
    const version = standIn.versionOf('minimax/music-1.5');
    const p = await replicate.predictions.create({
      version,
      input: { prompt: 'by version' },
      webhook: webhookUrl,
      webhook_events_filter: ['completed'],
    });
    expect(p).toMatchObject({ model: 'minimax/music-1.5', version, status: 'starting' });
    await standIn.idle();
    expect(webhooksFor(p.id).map((w) => w.body.status)).toEqual(['succeeded']);

    // run() sends `Prefer: wait`, so the create answers once the prediction is done. Outputs are http:
    // URLs (not https:), so run() returns them as plain strings rather than FileOutput objects.
    const output = await replicate.run('minimax/music-1.5', { input: { prompt: 'sync' } });
    expect(output).toMatch(new RegExp(`^${standIn.url}/files/.+\\.mp3$`));
  });

  it('lists newest first with cursor pagination', async () => {
    const ids: string[] = [];
    for (const prompt of ['one', 'two']) {
      ids.push((await replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt } })).id);
    }
    const first = await replicate.predictions.list();
    expect(first.results).toHaveLength(3);
    expect(first.results.slice(0, 2).map((p) => p.id)).toEqual([ids[1], ids[0]]);
    expect(first.previous).toBeNull();
    expect(first.next).toMatch(new RegExp(`^${standIn.url}/v1/predictions\\?cursor=`));

    const all: string[] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list())) {
      all.push(...page.map((p) => p.id));
    }
    expect(all).toEqual([...standIn.predictions.keys()].reverse());
  });

  it('cancels: status canceled, a completed webhook, no output', async () => {
    standIn.faults.delayMs = 60_000; // interrupted by the cancel
    const p = await replicate.predictions.create({
      model: 'google/veo-3-fast',
      input: { prompt: 'never finishes' },
      webhook: webhookUrl,
    });
    const canceled = await replicate.predictions.cancel(p.id);
    expect(canceled.status).toBe('canceled');
    await standIn.idle();
    const after = await replicate.predictions.get(p.id);
    expect(after).toMatchObject({ status: 'canceled', output: null });
    expect(after.completed_at).toEqual(expect.any(String));
    expect(webhooksFor(p.id).at(-1)?.body.status).toBe('canceled');
    // Canceling again is harmless.
    expect((await replicate.predictions.cancel(p.id)).status).toBe('canceled');
  });

  it('requires a Bearer token and answers unknown routes and models with 404 { detail }', async () => {
    const noAuth = await fetch(`${standIn.url}/v1/predictions`);
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ detail: expect.any(String) });

    const err = await apiError(replicate.predictions.create({ model: 'acme/not-a-model', input: {} }));
    expect(err.response.status).toBe(404);
    expect(err.message).toContain('The requested resource could not be found.');
    expect((await apiError(replicate.predictions.get('doesnotexist'))).response.status).toBe(404);
  });

  it('rejects missing or invalid input with 422 (Replicate style), and invalidInputNext', async () => {
    const before = standIn.createCount;
    const err = await apiError(
      replicate.predictions.create({
        model: 'wan-video/wan-2.2-animate-replace',
        input: { video: 'not a url' },
      }),
    );
    expect(err.response.status).toBe(422);
    // The client has already read the body into the message (response.json() would throw).
    const body = JSON.parse(err.message.slice(err.message.indexOf('{'), err.message.lastIndexOf('}') + 1));
    expect(body).toMatchObject({ status: 422, title: 'Input validation failed' });
    expect(body.invalid_fields).toEqual(
      expect.arrayContaining([
        { type: 'required', field: 'input', description: 'character_image is required' },
        { type: 'format', field: 'input.video', description: "Does not match format 'uri'" },
      ]),
    );

    standIn.faults.invalidInputNext(1);
    const injected = await apiError(
      replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'x' } }),
    );
    expect(injected.response.status).toBe(422);
    await replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'x' } });
    expect(standIn.createCount).toBe(before + 1);
  });

  it('429 on create: the client retries by itself (5 retries, Retry-After ignored), then ApiError', async () => {
    const before = { creates: standIn.createCount, attempts: createAttempts().length };
    // Retry-After: 30 s. The client does not wait for it: this test would time out if it did.
    standIn.faults.rateLimitCreates(2, 30);
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'throttled' },
    });
    expect(p.status).toBe('starting');
    expect(
      createAttempts()
        .slice(before.attempts)
        .map((r) => r.status),
    ).toEqual([429, 429, 201]);
    expect(standIn.createCount).toBe(before.creates + 1);

    standIn.faults.rateLimitCreates(Number.POSITIVE_INFINITY);
    const err = await apiError(
      replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'x' } }),
    );
    expect(err.response.status).toBe(429);
    expect(err.response.headers.get('retry-after')).toBe('1');
    // 1 attempt + 5 retries.
    expect(
      createAttempts()
        .slice(before.attempts + 3)
        .map((r) => r.status),
    ).toEqual(Array(6).fill(429));
    expect(standIn.createCount).toBe(before.creates + 1);
  });

  it('500 on create: no retry for POST (ApiError at once); GET retries 5xx', async () => {
    const attempts = createAttempts().length;
    standIn.faults.serverErrorCreates(1);
    const err = await apiError(
      replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'x' } }),
    );
    expect(err.response.status).toBe(500);
    expect(
      createAttempts()
        .slice(attempts)
        .map((r) => r.status),
    ).toEqual([500]);

    // GET: a client whose first two GETs see a 503 still succeeds (retried on 429 and >= 500).
    let failures = 2;
    const flaky = new Replicate({
      auth: 'x',
      baseUrl: `${standIn.url}/v1`,
      fetch: async (input, init) => {
        if (failures > 0) {
          failures -= 1;
          return new Response('{"detail":"unavailable"}', { status: 503 });
        }
        return fetch(input, init);
      },
    });
    expect((await flaky.predictions.list()).results.length).toBeGreaterThan(0);
    expect(failures).toBe(0);
  });

  it('a network error on create IS retried by the client: one call, two predictions', async () => {
    // The request reaches the stand-in, then the connection "drops" before the client reads the answer.
    const before = standIn.createCount;
    let drops = 1;
    const dropping = new Replicate({
      auth: 'x',
      baseUrl: `${standIn.url}/v1`,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (drops > 0) {
          drops -= 1;
          throw new TypeError('fetch failed');
        }
        return response;
      },
    });
    await dropping.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'dup' } });
    expect(standIn.createCount).toBe(before + 2);
  });

  it('failNextPredictions and unreachable inputs end in failed, with a completed webhook', async () => {
    standIn.faults.failNextPredictions(1, 'CUDA out of memory (injected)');
    const injected = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
    });
    const missing = await replicate.predictions.create({
      model: 'wan-video/wan-2.2-animate-animation',
      input: { video: `${mediaUrl}/gone.mp4`, character_image: `${mediaUrl}/character.jpg` },
      webhook: webhookUrl,
    });
    await standIn.idle();
    expect(await replicate.predictions.get(injected.id)).toMatchObject({
      status: 'failed',
      error: 'CUDA out of memory (injected)',
      output: null,
    });
    const failed = await replicate.predictions.get(missing.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain('could not download input video: HTTP 404');
    for (const id of [injected.id, missing.id]) {
      expect(webhooksFor(id).map((w) => w.body.status)).toEqual(['processing', 'failed']);
    }
  });

  it('retries a refused terminal webhook with the same webhook-id; never retries start', async () => {
    receiverFailures = 2; // the start webhook (not retried) and the 1st completed attempt
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
    });
    await standIn.idle();
    const hooks = webhooksFor(p.id);
    expect(hooks.map((w) => [w.body.status, w.status])).toEqual([
      ['processing', 500],
      ['succeeded', 500],
      ['succeeded', 204],
    ]);
    expect(hooks[1]!.headers['webhook-id']).toBe(hooks[2]!.headers['webhook-id']);
  });

  it('duplicateWebhooks: every webhook twice, same webhook-id (receivers must dedupe)', async () => {
    standIn.faults.duplicateWebhooks = true;
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
    });
    await standIn.idle();
    const hooks = webhooksFor(p.id);
    expect(hooks.map((w) => w.body.status)).toEqual(['processing', 'processing', 'succeeded', 'succeeded']);
    expect(hooks.every((w) => typeof w.verdict === 'object')).toBe(true);
    expect(hooks[0]!.headers['webhook-id']).toBe(hooks[1]!.headers['webhook-id']);
    expect(hooks[2]!.headers['webhook-id']).toBe(hooks[3]!.headers['webhook-id']);
    expect(new Set(hooks.map((w) => w.headers['webhook-id'])).size).toBe(2);
  });

  it('reorderWebhooks: completed arrives before start', async () => {
    standIn.faults.reorderWebhooks = true;
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
    });
    await standIn.idle();
    expect(webhooksFor(p.id).map((w) => w.body.status)).toEqual(['succeeded', 'processing']);
  });

  it('dropWebhooks: no callback at all, only polling GET finds the result', async () => {
    standIn.faults.dropWebhooks = true;
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
    });
    await standIn.idle();
    expect(webhooksFor(p.id)).toEqual([]);
    expect((await replicate.predictions.get(p.id)).status).toBe('succeeded');
  });

  it('tamperNextWebhook: the receiver refuses the forged signature; the retry is genuine', async () => {
    standIn.faults.tamperNextWebhook(1);
    const p = await replicate.predictions.create({
      model: 'minimax/music-1.5',
      input: { prompt: 'x' },
      webhook: webhookUrl,
      webhook_events_filter: ['completed'],
    });
    await standIn.idle();
    const hooks = webhooksFor(p.id);
    expect(hooks.map((w) => [w.verdict, w.status])).toEqual([
      ['bad_signature', 401],
      [expect.objectContaining({ webhookId: hooks[0]!.headers['webhook-id'] }), 204],
    ]);
    expect(
      standIn.webhookDeliveries.filter((d) => d.predictionId === p.id).map((d) => [d.attempt, d.tampered]),
    ).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('says plainly in every log line that it is a stand-in', () => {
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) expect(line.startsWith(`${LOG_PREFIX} `)).toBe(true);
    expect(LOG_PREFIX).toContain('offline stand-in, not Replicate');
  });

  it('expireOutputs: files answer 404 and predictions show data_removed (as after an hour)', async () => {
    const p = await replicate.predictions.create({ model: 'minimax/music-1.5', input: { prompt: 'x' } });
    await standIn.idle();
    const done = await replicate.predictions.get(p.id);
    expect((await fetch(done.output as string)).status).toBe(200);
    await standIn.expireOutputs();
    expect((await fetch(done.output as string)).status).toBe(404);
    expect((await replicate.predictions.get(p.id)).data_removed).toBe(true);
  });
});
