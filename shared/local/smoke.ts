import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPLICATE_WEBHOOK_PATH } from '../ai/webhook-contract.ts';
import { ffmpegPath } from '../media/binaries.ts';
import { runBinary } from '../media/run.ts';

/**
 * The post-deploy smoke test (`npm run smoke -- --url <ApiUrl>`): drives a deployed stack, or
 * `npm run dev`, as a client would, and says what works. Each step depends only on the ones
 * it needs, so one failure doesn't hide the rest.
 */
export interface SmokeOptions {
  /** The API's base URL (the stack's ApiUrl output, or the local gateway). */
  url: string;
  /** The execute-api URL (ExecuteApiUrl output): checked to refuse direct calls. */
  executeApiUrl?: string;
  /** How long the upload may take to become ready (default 180 s: a cold Lambda plus ffmpeg). */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SmokeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a client reading loosely-typed JSON
type Json = any;

class StepFailed extends Error {}

async function request(
  base: string,
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; text: string; headers: Headers }> {
  const res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: AbortSignal.timeout(35_000),
  });
  const text = await res.text();
  let body: Json;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

function expectStatus(res: { status: number; text: string }, ...wanted: number[]): void {
  if (!wanted.includes(res.status)) throw new StepFailed(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
}

async function makeClip(dir: string): Promise<Buffer> {
  const clip = join(dir, 'smoke.mp4');
  await runBinary(ffmpegPath(), [
    ...[
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=15',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
    ],
    ...['-t', '2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', clip],
  ]);
  return readFile(clip);
}

export async function runSmoke(opts: SmokeOptions): Promise<SmokeStep[]> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const base = opts.url;
  const steps: SmokeStep[] = [];
  const state: { token?: string; videoId?: string; media?: { video: string; poster: string } } = {};

  const step = async (name: string, needs: (keyof typeof state)[], run: () => Promise<string>) => {
    const started = performance.now();
    let result: SmokeStep;
    const missing = needs.filter((k) => state[k] === undefined);
    if (missing.length) {
      result = {
        name,
        ok: false,
        ms: 0,
        detail: `skipped: needs ${missing.join(', ')} from an earlier step`,
      };
    } else {
      try {
        result = { name, ok: true, ms: 0, detail: await run() };
      } catch (err) {
        result = { name, ok: false, ms: 0, detail: err instanceof Error ? err.message : String(err) };
      }
    }
    result.ms = Math.round(performance.now() - started);
    steps.push(result);
    log(`${result.ok ? '✔' : '✘'} ${name.padEnd(22)} ${String(result.ms).padStart(6)} ms  ${result.detail}`);
  };

  log(`[smoke] ${base}`);
  await step('health', [], async () => {
    const res = await request(base, 'GET', '/health');
    expectStatus(res, 200);
    return JSON.stringify(res.body).slice(0, 120);
  });

  const suffix = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  await step('register', [], async () => {
    const res = await request(base, 'POST', '/v1/auth/register', {
      body: {
        email: `smoke_${suffix}@example.com`,
        username: `smoke_${suffix}`.slice(0, 30),
        password: `smoke-${randomBytes(12).toString('base64url')}`,
      },
    });
    expectStatus(res, 201);
    // The response may carry the tokens at the top level or under `tokens`.
    state.token = res.body?.access_token ?? res.body?.tokens?.access_token;
    if (typeof state.token !== 'string') throw new StepFailed('no access_token in the response');
    return `@smoke_${suffix}`;
  });

  const dir = await mkdtemp(join(tmpdir(), 'lokiz-smoke-'));
  try {
    await step('upload a clip', ['token'], async () => {
      const bytes = await makeClip(dir);
      const res = await request(base, 'POST', '/v1/videos/upload-url', {
        token: state.token,
        body: { content_type: 'video/mp4', size_bytes: bytes.length, caption: 'smoke test #lokiz' },
      });
      expectStatus(res, 201);
      const put = await fetch(res.body.upload_url, {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': 'video/mp4' },
      });
      await put.arrayBuffer();
      if (!put.ok) throw new StepFailed(`PUT to the presigned URL: HTTP ${put.status}`);
      state.videoId = res.body.video_id;
      return `${bytes.length} bytes → ${res.body.video_id}`;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  await step('video becomes ready', ['token', 'videoId'], async () => {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 180_000);
    for (;;) {
      const res = await request(base, 'GET', `/v1/videos/${state.videoId}`, { token: state.token });
      expectStatus(res, 200);
      if (res.body.status === 'ready')
        return `${res.body.duration_ms} ms, ${res.body.width}x${res.body.height}`;
      if (res.body.status === 'failed') throw new StepFailed(`processing failed: ${res.body.failure_reason}`);
      if (Date.now() > deadline) throw new StepFailed(`still ${res.body.status}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  await step('feed', ['videoId'], async () => {
    const res = await request(base, 'GET', '/v1/videos?limit=50');
    expectStatus(res, 200);
    const found = (res.body.items as { id: string; video_url: string; thumbnail_url: string }[]).find(
      (v) => v.id === state.videoId,
    );
    if (!found) throw new StepFailed('the new video is not on the first page of the feed');
    state.media = { video: found.video_url, poster: found.thumbnail_url };
    return `${res.body.items.length} videos on the first page, the new one among them`;
  });

  await step('media from the CDN', ['media'], async () => {
    // What a phone does with a feed item: the rendition's first bytes and the poster, from the
    // media CDN (CloudFront in AWS, the gateway's /media/* stand-in locally), unsigned and immutable.
    const { video, poster } = state.media!;
    if (!/\/media\//.test(new URL(video).pathname) || new URL(video).search) {
      throw new StepFailed(`not a plain CDN URL: ${video}`);
    }
    const play = await fetch(video, { headers: { range: 'bytes=0-1023' } });
    const head = new Uint8Array(await play.arrayBuffer());
    if (play.status !== 206 && play.status !== 200) throw new StepFailed(`rendition: HTTP ${play.status}`);
    if (Buffer.from(head.subarray(4, 8)).toString('latin1') !== 'ftyp') {
      throw new StepFailed('the rendition is not an mp4');
    }
    if (!play.headers.get('cache-control')?.includes('immutable')) {
      throw new StepFailed(`rendition Cache-Control: ${play.headers.get('cache-control')}`);
    }
    const image = await fetch(poster);
    const bytes = new Uint8Array(await image.arrayBuffer());
    if (!image.ok || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new StepFailed('the poster is not a JPEG');
    return `mp4 (${play.status}, immutable) and a ${bytes.length}-byte poster from ${new URL(video).host}`;
  });

  await step('capture a frame', ['token', 'videoId'], async () => {
    const res = await request(base, 'POST', '/v1/ai/capture-frame', {
      token: state.token,
      body: { video_id: state.videoId, at_ms: 1000 },
    });
    expectStatus(res, 201);
    const image = await fetch(res.body.url);
    const bytes = new Uint8Array(await image.arrayBuffer());
    if (!image.ok || bytes[0] !== 0xff || bytes[1] !== 0xd8)
      throw new StepFailed('the frame URL is not a JPEG');
    return `${res.body.width}x${res.body.height} JPEG, ${bytes.length} bytes`;
  });

  await step('forged webhook → 401', [], async () => {
    const body = JSON.stringify({
      id: 'smoke-forged',
      status: 'succeeded',
      output: 'https://example.com/x.mp4',
    });
    const res = await fetch(`${base.replace(/\/$/, '')}${REPLICATE_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': `msg_${suffix}`,
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
      },
      body,
    });
    const text = await res.text();
    expectStatus({ status: res.status, text }, 401);
    return 'refused';
  });

  if (opts.executeApiUrl) {
    await step('execute-api refuses', [], async () => {
      const res = await request(opts.executeApiUrl!, 'GET', '/health');
      expectStatus(res, 403);
      return 'direct calls skip the WAF, so they are refused';
    });
  }

  const failed = steps.filter((s) => !s.ok);
  log(
    failed.length
      ? `[smoke] ${failed.length} of ${steps.length} steps failed`
      : `[smoke] all ${steps.length} steps work`,
  );
  return steps;
}
