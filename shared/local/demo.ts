import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { readOutboxDir } from '../mail/outbox.ts';
import { ffmpegPath } from '../media/binaries.ts';
import { runBinary } from '../media/run.ts';
import type { LiveEvent, ServerMessage } from '../realtime/protocol.ts';
import { API, API_SOURCE, call, log, until } from './demo-client.ts';
import { studioDemo } from './demo-studio.ts';
import { resolveMailOutbox } from './dev-state.ts';

/**
 * `npm run demo` (with `npm run dev` running): the whole product path over HTTP, as a client
 * would drive it — two accounts, a real uploaded clip, a studio range, a character image,
 * a glitch through the queue and the (stand-in) model, and the new video in the feed, with both
 * accounts connected to the live updates: the glitch's progress and its "ready" arrive as events;
 * then the studio (demo-studio.ts): a range preview, the template path and AI music put on the video.
 * It finds the API through API_URL, else PORT, else the `.lokiz/dev.json` that `npm run dev` writes.
 */

/** Where `npm run dev` writes mail (MAIL_OUTBOX_DIR, else what dev.json says, else `.lokiz/mail`). */
const OUTBOX = resolveMailOutbox();
const LIVE = process.env.LIVE_URL ?? `${API.replace(/^http/, 'ws')}/live`;

const reachable = await fetch(`${API}/health`).then(
  (r) => r.ok,
  () => false,
);
if (!reachable) {
  console.error(
    `[demo] no LOKIZ API answers at ${API} (from ${API_SOURCE}): start \`npm run dev\` first, or set API_URL.`,
  );
  process.exit(1);
}
log(`API ${API} (from ${API_SOURCE})`);

/** A live connection that logs what arrives and can wait for one event. */
async function connectLive(who: string, token: string) {
  const ws = new WebSocket(`${LIVE}?token=${encodeURIComponent(token)}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiters: Array<(m: ServerMessage) => boolean> = [];
  const seen = new Set<string>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as ServerMessage;
    // Delivery is at least once: an id already seen is a repeat.
    if ('id' in m) {
      if (seen.has(m.id)) return;
      seen.add(m.id);
    }
    log(`live → @${who}: ${m.type} ${JSON.stringify(m.data)}`);
    for (const w of [...waiters]) if (w(m)) waiters.splice(waiters.indexOf(w), 1);
  });
  return {
    until<T extends ServerMessage>(test: (m: ServerMessage) => boolean, seconds = 180): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no live event for @${who}`)), seconds * 1000);
        waiters.push((m) => {
          if (!test(m)) return false;
          clearTimeout(timer);
          resolve(m as T);
          return true;
        });
      });
    },
    close: () => ws.close(1000),
  };
}

const dir = await mkdtemp(join(tmpdir(), 'lokiz-demo-'));
try {
  const clip = join(dir, 'clip.mp4');
  const still = join(dir, 'character.jpg');
  const ffmpeg = ffmpegPath();
  const lavfi = [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=480x270:rate=15',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440',
  ];
  await runBinary(ffmpeg, [
    '-y',
    ...lavfi,
    '-t',
    '5',
    '-pix_fmt',
    'yuv420p',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    clip,
  ]);
  await runBinary(ffmpeg, ['-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x320', '-frames:v', '1', still]);

  const suffix = Date.now().toString(36);
  const creator = await call('POST', '/v1/auth/register', {
    email: `creator_${suffix}@example.com`,
    username: `creator_${suffix}`,
    password: 'play-like-a-trickster',
  });
  const remixer = await call('POST', '/v1/auth/register', {
    email: `remixer_${suffix}@example.com`,
    username: `remixer_${suffix}`,
    password: 'play-like-a-trickster',
  });
  log(`registered @${creator.user.username} and @${remixer.user.username} (0 credits until verified)`);
  // Both verify through the link in their mail (the local outbox, the SES stand-in).
  const verify = async (email: string) => {
    const mail = await until(`the verification mail to ${email}`, async () =>
      (await readOutboxDir(OUTBOX, email)).find((m) => m.link?.includes('/verify-email')),
    );
    const token = new URL(mail.link!).searchParams.get('token');
    return call('POST', '/v1/auth/verify-email', { token });
  };
  const ct = (await verify(creator.user.email)).access_token;
  const rt = (await verify(remixer.user.email)).access_token;
  log('both verified through the links in .lokiz/mail (100 credits each)');

  const bytes = await readFile(clip);
  const upload = await call(
    'POST',
    '/v1/videos/upload-url',
    { content_type: 'video/mp4', size_bytes: bytes.length, caption: 'original #lokiz' },
    ct,
  );
  await fetch(upload.upload_url, { method: 'PUT', body: bytes, headers: { 'content-type': 'video/mp4' } });
  const video = await until('the upload to be ready', async () => {
    const v = await call('GET', `/v1/videos/${upload.video_id}`, undefined, ct);
    return v.status === 'ready' ? v : undefined;
  });
  log(
    `video ${video.id} is ready: ${video.duration_ms} ms, ${video.width}x${video.height}, thumbnail ${video.thumbnail_url.slice(0, 60)}…`,
  );

  const selection = await call(
    'POST',
    `/v1/studio/videos/${video.id}/select-range`,
    { start_ms: 1000, end_ms: 4000 },
    rt,
  );
  const image = await readFile(still);
  const character = await call(
    'POST',
    '/v1/ai/character-images/upload-url',
    { content_type: 'image/jpeg', size_bytes: image.length },
    rt,
  );
  await fetch(character.upload_url, {
    method: 'PUT',
    body: image,
    headers: { 'content-type': 'image/jpeg' },
  });
  // Phones too: the dev server's SNS stand-in logs the pushes ("would push to ios device …").
  for (const token of [ct, rt]) {
    await call(
      'POST',
      '/v1/notifications/devices',
      { platform: 'ios', token: randomBytes(32).toString('hex') },
      token,
    );
  }
  const remixerLive = await connectLive(remixer.user.username, rt);
  const creatorLive = await connectLive(creator.user.username, ct);
  log(`both connected to ${LIVE}`);
  const creatorHeard = creatorLive.until((m) => m.type === 'notification.created');
  const job = await call(
    'POST',
    '/v1/ai/glitch/animate',
    {
      source_video_id: video.id,
      selection_id: selection.selection_id,
      character_image_id: character.asset_id,
      caption: 'glitched #lokiz',
    },
    rt,
  );
  log(`glitch job ${job.id} queued (cost ${job.cost}); no polling from here: waiting for live events`);

  const ready = await remixerLive.until<LiveEvent<'ai_job.updated'>>((m) => {
    if (m.type !== 'ai_job.updated' || !('id' in m) || m.data.job_id !== job.id) return false;
    if (m.data.status === 'failed' || m.data.status === 'canceled') throw new Error(`job ${m.data.status}`);
    return m.data.result === 'ready';
  });
  log(`glitch-done event ${ready.id} arrived live`);
  await creatorHeard;
  remixerLive.close();
  creatorLive.close();
  const done = await call('GET', `/v1/ai/jobs/${job.id}`, undefined, rt);
  const glitch = await call('GET', `/v1/videos/${done.result_video_id}`);
  const me = await call('GET', '/v1/auth/me', undefined, rt);
  const feed = await call('GET', '/v1/videos?limit=5');
  log(`glitch video ${glitch.id} ready (${glitch.duration_ms} ms), glitch_of ${glitch.glitch_of.video_id}`);
  log(
    `@${me.username} now has ${me.credits} credits; newest in the feed: ${feed.items.map((v: { id: string }) => v.id.slice(0, 8)).join(', ')}`,
  );

  await studioDemo(video.id, ct, creator.user.username);
} catch (err) {
  console.error(`[demo] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
